package org.parley.feature.privatexml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.feature.privatexml.PrivateStore.Fragment;
import org.parley.store.sql.SqlStores;

/** XEP-0049 fragments on every database. A subclass supplies empty stores for each test. */
abstract class PrivateStoreContractTest {

    protected abstract SqlStores stores();

    private PrivateStore store() {
        stores().database().migrate("private");
        stores().accounts().create("alice", List.of());
        stores().accounts().create("bob", List.of());
        return new SqlPrivateStore(stores().database());
    }

    private static Fragment fragment(String ns, String name, String text) {
        return new Fragment(ns, name, "<" + name + " xmlns='" + ns + "'>" + text + "</" + name + ">");
    }

    @Test
    void fragmentsAreKeptPerOwnerNamespaceAndName() {
        PrivateStore store = store();
        assertThat(store.put("alice", List.of(fragment("a:ns", "prefs", "1"), fragment("b:ns", "prefs", "2")), 10_000))
                .isTrue();
        assertThat(store.put("alice", List.of(fragment("a:ns", "prefs", "3")), 10_000)).isTrue();

        assertThat(store.get("alice", "a:ns", "prefs")).contains("<prefs xmlns='a:ns'>3</prefs>");
        assertThat(store.get("alice", "b:ns", "prefs")).contains("<prefs xmlns='b:ns'>2</prefs>");
        assertThat(store.get("alice", "a:ns", "other")).isEmpty();
        assertThat(store.get("bob", "a:ns", "prefs")).isEmpty();
    }

    @Test
    void aSetThatWouldPassTheQuotaStoresNothing() {
        PrivateStore store = store();
        Fragment small = fragment("a:ns", "x", "1"); // 22 bytes
        assertThat(store.put("alice", List.of(small), 50)).isTrue();

        assertThat(store.put("alice", List.of(fragment("b:ns", "y", "22"), fragment("c:ns", "z", "333")), 50)).isFalse();
        assertThat(store.get("alice", "b:ns", "y")).isEmpty();
        // Replacing a fragment counts its new size, not both.
        assertThat(store.put("alice", List.of(fragment("a:ns", "x", "22222")), 50)).isTrue();
        assertThat(store.put("bob", List.of(fragment("b:ns", "y", "22")), 50)).isTrue();
    }

    @Test
    void removingTheAccountRemovesItsFragments() {
        PrivateStore store = store();
        store.put("alice", List.of(fragment("a:ns", "x", "1")), 1000);
        stores().accounts().delete("alice");
        stores().accounts().create("alice", List.of());
        assertThat(store.get("alice", "a:ns", "x")).isEmpty();
    }
}
