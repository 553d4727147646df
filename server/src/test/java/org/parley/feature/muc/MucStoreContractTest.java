package org.parley.feature.muc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.store.sql.SqlStores;
import org.parley.xmpp.Jid;

/** Persistent rooms on every database. A subclass supplies empty stores for each test. */
abstract class MucStoreContractTest {

    protected abstract SqlStores stores();

    private MucStore store() {
        stores().database().migrate("muc");
        return new SqlMucStore(stores().database());
    }

    @Test
    void aRoomIsReadBackWithItsAffiliationsReservedNicknamesAndOccupantIdSalt() {
        MucStore store = store();
        Jid room = Jid.of("kept@conference.example");
        Jid alice = Jid.of("alice@example");
        Jid bob = Jid.of("bob@example");
        store.save(new MucStore.StoredRoom(room, "<x xmlns='jabber:x:data' type='submit'/>", "Hi", null,
                Map.of(alice, Affiliation.OWNER, bob, Affiliation.MEMBER), Map.of(bob, "Bobby"), "c2FsdHNhbHRzYWx0c2FsdA==", alice));
        store.save(new MucStore.StoredRoom(room, "<x xmlns='jabber:x:data' type='submit'/>", "Hello", null,
                Map.of(alice, Affiliation.OWNER, bob, Affiliation.MEMBER), Map.of(bob, "Robert"), "c2FsdHNhbHRzYWx0c2FsdA==", alice));

        assertThat(store.all()).singleElement().satisfies(r -> {
            assertThat(r.subject()).isEqualTo("Hello");
            assertThat(r.affiliations()).containsOnly(Map.entry(alice, Affiliation.OWNER), Map.entry(bob, Affiliation.MEMBER));
            assertThat(r.nicks()).containsOnly(Map.entry(bob, "Robert"));
            assertThat(r.occupantIdSalt()).isEqualTo("c2FsdHNhbHRzYWx0c2FsdA==");
            assertThat(r.maker()).isEqualTo(alice);
        });
        store.delete(room);
        assertThat(store.all()).isEmpty();
    }

    @Test
    void theRoomsAUserMadeAreCountedFromTheStore() {
        MucStore store = store();
        Jid alice = Jid.of("alice@example");
        for (String name : new String[] {"one", "two"}) {
            store.save(new MucStore.StoredRoom(Jid.of(name + "@conference.example"), "<x xmlns='jabber:x:data' type='submit'/>",
                    "", null, Map.of(alice, Affiliation.OWNER), Map.of(), null, alice));
        }
        store.save(new MucStore.StoredRoom(Jid.of("old@conference.example"), "<x xmlns='jabber:x:data' type='submit'/>",
                "", null, Map.of(alice, Affiliation.OWNER), Map.of(), null, null));
        assertThat(store.madeBy(alice)).isEqualTo(2);
        assertThat(store.madeBy(Jid.of("alice@example/phone"))).as("by the bare JID").isEqualTo(2);
        assertThat(store.madeBy(Jid.of("bob@example"))).isZero();
        store.delete(Jid.of("one@conference.example"));
        assertThat(store.madeBy(alice)).isEqualTo(1);
    }
}
