package org.parley.feature.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.store.sql.SqlStores;

/** The block lists (XEP-0191) on every database. A subclass supplies empty stores for each test. */
abstract class BlockingStoreContractTest {

    protected abstract SqlStores stores();

    /** Accounts alice and bob; called first by each test (subclasses open the stores in their own set-up). */
    private void accounts() {
        stores().accounts().create("alice", List.of());
        stores().accounts().create("bob", List.of());
    }

    private BlockingStore blocking() {
        return new SqlBlockingStore(stores().database());
    }

    @Test
    void blockListKeepsDistinctJidsUpToTheLimit() {
        accounts();
        BlockingStore blocking = blocking();
        assertThat(blocking.blocked("alice")).isEmpty();
        assertThat(blocking.block("alice", List.of("z@x", "a@x", "z@x"), 3)).isTrue();
        assertThat(blocking.block("alice", List.of("a@x", "m@x"), 3)).isTrue();
        assertThat(blocking.blocked("alice")).containsExactly("a@x", "m@x", "z@x");
        assertThat(blocking.block("alice", List.of("n@x"), 3)).isFalse();
        assertThat(blocking.blocked("alice")).containsExactly("a@x", "m@x", "z@x");
        assertThat(blocking.blocked("bob")).isEmpty();

        blocking.unblock("alice", List.of("m@x", "never@x"));
        assertThat(blocking.blocked("alice")).containsExactly("a@x", "z@x");
        assertThat(blocking.unblockAll("alice")).containsExactly("a@x", "z@x");
        assertThat(blocking.blocked("alice")).isEmpty();
    }

    @Test
    void removingTheAccountRemovesItsBlockList() {
        accounts();
        blocking().block("alice", List.of("a@x"), 10);
        stores().accounts().delete("alice");
        stores().accounts().create("alice", List.of());
        assertThat(blocking().blocked("alice")).isEmpty();
    }
}
