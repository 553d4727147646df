package org.parley.feature.mam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.auth.ScramCredentials;
import org.parley.store.sql.SqlStores;

/** The archive store's behaviour on every dialect; subclasses supply empty stores. */
abstract class ArchiveStoreContractTest {

    protected abstract SqlStores stores();

    /** The archive's own migrations, as MamModule.openStorage runs them: the schema the store is written for. */
    @BeforeEach
    void migrate() {
        stores().database().migrate("mam");
    }

    private ArchiveStore archive;

    /**
     * One store for the test, as the server has: on SQLite it keeps the rows above the deferred
     * indexes' mark in memory ({@link RecentRows}); {@link #restarted()} reads them again.
     */
    private ArchiveStore archive() {
        if (archive == null) {
            archive = new SqlArchiveStore(stores().database());
        }
        return archive;
    }

    /** A store opened anew on the same database, as after a restart. */
    private ArchiveStore restarted() {
        archive = new SqlArchiveStore(stores().database());
        return archive;
    }

    private void accounts() {
        for (String u : List.of("alice", "bob", "carol")) {
            stores().accounts().create(u, ScramCredentials.deriveAll("pw", 4096, new java.security.SecureRandom()));
        }
    }

    private static ArchiveRecord msg(long id, String from, String to, String body) {
        return new ArchiveRecord(id, from, to, from + "@localhost", "r", to + "@localhost", null, body,
                "<message xmlns='jabber:client' to='" + to + "@localhost'><body>" + body + "</body></message>");
    }

    private static ArchiveQuery all(String owner, int limit, boolean backwards) {
        return new ArchiveQuery(owner, Long.MIN_VALUE, Long.MAX_VALUE, null, null, null, limit, backwards);
    }

    private static List<Long> ids(List<ArchiveRecord> rows) {
        return rows.stream().map(ArchiveRecord::id).toList();
    }

    @Test
    void oneRowServesBothArchives() {
        accounts();
        archive().append(List.of(msg(10, "alice", "bob", "hi"), msg(20, "bob", "alice", "hello"),
                msg(30, "alice", "carol", "hey")));
        assertThat(ids(archive().query(all("alice", 10, false)))).containsExactly(10L, 20L, 30L);
        assertThat(ids(archive().query(all("bob", 10, false)))).containsExactly(10L, 20L);
        assertThat(ids(archive().query(all("carol", 10, true)))).containsExactly(30L);
        assertThat(archive().count(all("alice", 0, false))).isEqualTo(3);
        assertThat(archive().query(all("alice", 1, false)).get(0).stanza()).contains("<body>hi</body>");
    }

    @Test
    void sidesKeptSeparately() {
        accounts();
        // the sender's preferences said no: only the recipient keeps it
        archive().append(List.of(new ArchiveRecord(5, null, "bob", "alice@localhost", null, "bob@localhost", null,
                "x", "<message/>")));
        assertThat(archive().query(all("alice", 10, false))).isEmpty();
        assertThat(archive().contains("alice", 5)).isFalse();
        assertThat(archive().contains("bob", 5)).isTrue();
    }

    @Test
    void messageToSelfAppearsOnce() {
        accounts();
        archive().append(List.of(msg(1, "alice", "alice", "note"), msg(2, "alice", "bob", "b")));
        assertThat(ids(archive().query(all("alice", 10, false)))).containsExactly(1L, 2L);
        assertThat(archive().count(all("alice", 0, false))).isEqualTo(2);
    }

    @Test
    void pagesForwardAndBackwardWithinBounds() {
        accounts();
        List<ArchiveRecord> batch = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            batch.add(i % 2 == 0 ? msg(i, "alice", "bob", "m" + i) : msg(i, "bob", "alice", "m" + i));
        }
        archive().append(batch);
        assertThat(ids(archive().query(new ArchiveQuery("alice", 10, 20, null, null, null, 5, false))))
                .containsExactly(11L, 12L, 13L, 14L, 15L);
        assertThat(ids(archive().query(new ArchiveQuery("alice", 10, 20, null, null, null, 5, true))))
                .containsExactly(19L, 18L, 17L, 16L, 15L);
        assertThat(archive().count(new ArchiveQuery("alice", 10, 20, null, null, null, 0, false))).isEqualTo(9);
    }

    @Test
    void aCappedCountIsExactUpToTheCapAndCapPlusOneBeyond() {
        accounts();
        List<ArchiveRecord> batch = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            batch.add(i % 3 == 0 ? msg(i, "bob", "alice", "m" + i) : msg(i, "alice", "bob", "m" + i));
        }
        archive().append(batch);
        ArchiveQuery all = all("alice", 0, false);
        assertThat(archive().count(all, 30)).isEqualTo(30);
        assertThat(archive().count(all, 100)).isEqualTo(30);
        assertThat(archive().count(all, 29)).as("past the cap").isEqualTo(30);
        assertThat(archive().count(all, 5)).as("past the cap").isEqualTo(6);
        assertThat(archive().count(new ArchiveQuery("alice", 0, 11, null, null, null, 0, false), 10)).isEqualTo(10);
    }

    /**
     * Asked before the store's deferred index work, with part of the rows behind it, and after it
     * (on SQLite a conversation is read from two places, see SqlArchiveStore.select): the same answers.
     */
    @Test
    void withFiltersByTheOtherEnd() {
        accounts();
        archive().append(List.of(msg(1, "alice", "bob", "a"), msg(2, "carol", "alice", "b")));
        assertWithFilters();
        archive().indexPending();
        archive().append(List.of(msg(3, "bob", "alice", "c"), msg(4, "alice", "alice", "note"),
                msg(5, "bob", "carol", "d")));
        archive().append(List.of(msg(6, "carol", "bob", "e")));
        assertWithFilters();
        archive().indexPending();
        assertWithFilters();
    }

    private void assertWithFilters() {
        boolean all = archive().count(all("alice", 0, false)) == 4;
        // With the owner's JID (as queries come), and without it (a scan of the owner's archive).
        for (String ownerJid : Arrays.asList("alice@localhost", null)) {
            assertThat(ids(archive().query(with("alice", ownerJid, "bob@localhost", null))))
                    .containsExactlyElementsOf(all ? List.of(1L, 3L) : List.of(1L));
            assertThat(ids(archive().query(with("alice", ownerJid, "bob@localhost", "r"))))
                    .containsExactlyElementsOf(all ? List.of(3L) : List.of());
            assertThat(ids(archive().query(with("alice", ownerJid, "carol@localhost", null)))).containsExactly(2L);
            assertThat(archive().count(with("alice", ownerJid, "bob@localhost", null))).isEqualTo(all ? 2 : 1);
            assertThat(archive().count(with("alice", ownerJid, "dave@localhost", null))).isZero();
            if (all) {
                assertThat(ids(archive().query(with("alice", ownerJid, "alice@localhost", null)))).containsExactly(4L);
            }
        }
        if (all) {
            // A contact whose JID sorts before the owner's: the pair is the same conversation.
            assertThat(ids(archive().query(with("carol", "carol@localhost", "bob@localhost", null))))
                    .containsExactly(5L, 6L);
            assertThat(ids(archive().query(with("carol", "carol@localhost", "alice@localhost", null))))
                    .containsExactly(2L);
        }
    }

    /** Pages of one conversation, forwards and backwards, counted, across rows indexed and not. */
    @Test
    void aConversationPagesAcrossDeferredIndexWork() {
        accounts();
        List<ArchiveRecord> older = new ArrayList<>();
        List<ArchiveRecord> newer = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            ArchiveRecord m = switch (i % 3) {
                case 0 -> msg(i, "bob", "alice", "m" + i);
                case 1 -> msg(i, "alice", "bob", "m" + i);
                default -> msg(i, "alice", "carol", "m" + i);
            };
            (i <= 30 ? older : newer).add(m);
        }
        archive().append(older);
        archive().indexPending();
        archive().append(newer);
        for (int round = 0; round < 2; round++) {
            ArchiveQuery back = new ArchiveQuery("alice", "alice@localhost", 20, 40, "bob@localhost", null, null, 5, true);
            assertThat(ids(archive().query(back))).containsExactly(39L, 37L, 36L, 34L, 33L);
            ArchiveQuery forth = new ArchiveQuery("alice", "alice@localhost", 25, Long.MAX_VALUE, "bob@localhost", null,
                    null, 6, false);
            assertThat(ids(archive().query(forth))).containsExactly(27L, 28L, 30L, 31L, 33L, 34L);
            ArchiveQuery bobs = new ArchiveQuery("bob", "bob@localhost", Long.MIN_VALUE, Long.MAX_VALUE,
                    "alice@localhost", null, null, 100, false);
            assertThat(archive().count(bobs)).isEqualTo(40);
            assertThat(archive().count(bobs, 35)).isEqualTo(36);
            assertThat(ids(archive().query(bobs))).hasSize(40).isSorted();
            archive().indexPending();
        }
    }

    private static ArchiveQuery with(String owner, String ownerJid, String withJid, String withResource) {
        return new ArchiveQuery(owner, ownerJid, Long.MIN_VALUE, Long.MAX_VALUE, withJid, withResource, null, 10,
                false);
    }

    @Test
    void fulltextFindsWordsInBodies() {
        accounts();
        archive().append(List.of(msg(1, "alice", "bob", "the quick brown fox"), msg(2, "bob", "alice", "lazy dog"),
                msg(3, "alice", "carol", "quick lunch?")));
        ArchiveQuery quick = new ArchiveQuery("alice", Long.MIN_VALUE, Long.MAX_VALUE, null, null, "quick", 10, false);
        assertThat(ids(archive().query(quick))).containsExactly(1L, 3L);
        assertThat(archive().count(quick)).isEqualTo(2);
        ArchiveQuery both = new ArchiveQuery("bob", Long.MIN_VALUE, Long.MAX_VALUE, null, null, "brown fox", 10, false);
        assertThat(ids(archive().query(both))).containsExactly(1L);
        // query syntax is not passed through
        ArchiveQuery odd = new ArchiveQuery("alice", Long.MIN_VALUE, Long.MAX_VALUE, null, null, "\"lunch* (", 10, false);
        assertThat(ids(archive().query(odd))).containsExactly(3L);
    }

    @Test
    void retentionDeletesOldRowsAndTheirText() {
        accounts();
        archive().append(List.of(msg(1, "alice", "bob", "old words"), msg(2, "alice", "bob", "new words")));
        assertThat(archive().deleteBefore(2, 100)).isEqualTo(1);
        assertThat(ids(archive().query(all("alice", 10, false)))).containsExactly(2L);
        ArchiveQuery words = new ArchiveQuery("alice", Long.MIN_VALUE, Long.MAX_VALUE, null, null, "words", 10, false);
        assertThat(ids(archive().query(words))).containsExactly(2L);
    }

    /** A room's message: kept in the room's archive only, under its bare JID. */
    private static ArchiveRecord roomMsg(long id, String room, String nick, String body) {
        return new ArchiveRecord(id, null, room, room, nick, room, null, body,
                "<message xmlns='jabber:client' from='" + room + "/" + nick + "' type='groupchat'><body>" + body
                        + "</body></message>");
    }

    private static ArchiveQuery text(String owner, String words) {
        return new ArchiveQuery(owner, Long.MIN_VALUE, Long.MAX_VALUE, null, null, words, 10, false);
    }

    @Test
    void aReplacedMessageKeepsItsPlaceButNotItsText() {
        String room = "room@conference.localhost";
        archive().append(List.of(roomMsg(1, room, "a", "secret one"), roomMsg(2, room, "b", "plain words")));
        assertThat(ids(archive().query(text(room, "secret")))).as("indexed before the replacement").containsExactly(1L);
        archive().append(List.of(roomMsg(3, room, "a", "secret two")));
        String tombstone = "<message xmlns='jabber:client' from='" + room + "/a' type='groupchat'><retracted/></message>";

        assertThat(archive().replace(room, 1, tombstone)).isTrue();
        assertThat(archive().replace(room, 3, tombstone)).as("replaced before it was ever indexed").isTrue();
        assertThat(archive().replace("other@conference.localhost", 2, tombstone)).isFalse();

        assertThat(ids(archive().query(all(room, 10, false)))).containsExactly(1L, 2L, 3L);
        assertThat(archive().query(all(room, 1, false)).get(0).stanza()).contains("retracted").doesNotContain("secret");
        assertThat(archive().query(text(room, "secret"))).as("the old text is not searchable").isEmpty();
        assertThat(ids(archive().query(text(room, "plain")))).containsExactly(2L);
    }

    @Test
    void deletingAnOwnersArchiveLeavesTheOthers() {
        stores().database().migrate("mam");
        accounts();
        String room = "room@conference.localhost";
        String other = "other@conference.localhost";
        archive().append(List.of(roomMsg(1, room, "a", "hello there"), roomMsg(2, other, "b", "hello here"),
                roomMsg(3, room, "a", "bye"), msg(4, "alice", "bob", "hello bob")));
        archive().append(List.of(roomMsg(5, room, "a", "a new room of the same name")));
        assertThat(archive().deleteOwner(room, 4)).isEqualTo(2);
        assertThat(ids(archive().query(all(room, 10, false)))).as("what came after stays").containsExactly(5L);
        assertThat(ids(archive().query(all(other, 10, false)))).containsExactly(2L);
        assertThat(ids(archive().query(text(other, "hello")))).containsExactly(2L);
        assertThat(ids(archive().query(all("alice", 10, false)))).containsExactly(4L);
    }

    @Test
    void deletingAnAccountRemovesItsSide() {
        accounts();
        archive().append(List.of(msg(1, "alice", "bob", "a"), msg(2, "bob", "carol", "b")));
        stores().accounts().delete("bob");
        assertThat(ids(archive().query(all("alice", 10, false)))).containsExactly(1L);
        assertThat(ids(archive().query(all("carol", 10, false)))).containsExactly(2L);
        assertThat(archive().query(all("bob", 10, false))).isEmpty();
        stores().accounts().delete("alice");
        assertThat(archive().contains("alice", 1)).isFalse();
    }

    @Test
    void prefsRoundTrip() {
        accounts();
        assertThat(archive().prefs("alice")).isEmpty();
        ArchivePrefs p = new ArchivePrefs("roster", Set.of("bob@localhost"), Set.of("carol@localhost", "x@y"));
        archive().setPrefs("alice", p);
        assertThat(archive().prefs("alice")).contains(p);
        archive().setPrefs("alice", new ArchivePrefs("never", Set.of(), Set.of()));
        assertThat(archive().prefs("alice").orElseThrow().defaultMode()).isEqualTo("never");
    }
}
