package org.parley.feature.mam;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.sql.SqlStores;
import org.parley.store.sql.SqliteStoresExtension;

/** The archive store contract on a fresh SQLite file per test. */
class SqliteArchiveStoreTest extends ArchiveStoreContractTest {

    @RegisterExtension
    final SqliteStoresExtension sqlite = new SqliteStoresExtension();

    @Override
    protected SqlStores stores() {
        return sqlite.stores();
    }

    /**
     * An INSERT into the archive that fires a trigger writes two tables, so SQLite opens a
     * statement journal for it: inside the writer's group commit that copied every page each row
     * touched into a temporary file, more bytes than the commit itself. The program SQLite runs
     * for one row must call no trigger sub-program.
     */
    @Test
    void anArchiveRowIsInsertedWithoutATriggerProgram() {
        List<String> opcodes = sqlite.stores().database().jdbc().read("explain", c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN INSERT INTO archive (id, sender, recipient, "
                    + "from_jid, from_resource, to_jid, to_resource, body, stanza) VALUES (1, 'a', 'b', 'a@x', 'r', "
                    + "'b@x', NULL, 'text', '<message/>')");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString("opcode"));
                }
            }
            return out;
        });
        assertThat(opcodes).isNotEmpty().doesNotContain("Program");
    }

    /**
     * The writer's queued rows reach SQLite with their body and stanza as the UTF-8 bytes they
     * are queued in, cast to text by the INSERT: what is stored, read back and searched is the
     * same text as when the strings were bound, non-ASCII and all.
     */
    @Test
    void queuedRowsAreStoredAsTheTextTheyWereQueuedAs() {
        ArchiveStore archive = new SqlArchiveStore(sqlite.stores().database());
        ArchiveRecord greeting = new ArchiveRecord(3, "alice", "bob", "alice@x", "phone", "bob@x", null,
                "Grüße 👋 ☃", "<message xml:lang='de'><body>Grüße 👋 ☃</body></message>");
        ArchiveRecord receipt = new ArchiveRecord(4, "bob", "alice", "bob@x", "pc", "alice@x", "phone", null,
                "<message><received xmlns='urn:xmpp:receipts'/></message>");
        archive.append(QueuedRow.records(List.of(QueuedRow.of(greeting), QueuedRow.of(receipt))));

        ArchiveQuery alices = new ArchiveQuery("alice", Long.MIN_VALUE, Long.MAX_VALUE, null, null, null, 10, false);
        assertThat(archive.query(alices)).containsExactly(greeting, receipt);
        assertThat(strings("SELECT id || ' ' || typeof(body) || ' ' || typeof(stanza) FROM archive ORDER BY id"))
                .containsExactly("3 text text", "4 null text");
        assertThat(strings("SELECT id FROM archive_fts_pending")).as("only a row with a body").containsExactly("3");
        ArchiveQuery search = new ArchiveQuery("bob", Long.MIN_VALUE, Long.MAX_VALUE, null, null, "grüße", 10, false);
        assertThat(archive.query(search)).containsExactly(greeting);
        archive.indexPending();
        assertThat(strings("SELECT owner || ' ' || id FROM archive_sent")).containsExactly("alice 3", "bob 4");
    }

    /**
     * A message costs no index entry when it is written: the conversation index and the owners'
     * side indexes each took one at a leaf of their own, about one dirty page per entry and group
     * commit (db/mam/sqlite/V4, V6). The writer's deferred work puts them in
     * {@code archive_conversation}, {@code archive_sent} and {@code archive_received} in sorted
     * batches; a query reads the rows above their mark by id (the store keeps their ids in
     * memory) and the older ones through the tables, seeking straight to the owner or the pair.
     */
    @Test
    void ownersAndConversationsAreIndexedLaterInBatchesAndReadFromBothPlaces() {
        assertThat(strings("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'archive' "
                + "AND sql IS NOT NULL ORDER BY name")).isEmpty();
        ArchiveStore archive = new SqlArchiveStore(sqlite.stores().database());
        archive.append(List.of(new ArchiveRecord(7, "bob", "alice", "bob@x", "r", "alice@x", null, "hi", "<message/>"),
                new ArchiveRecord(9, "alice", "bob", "alice@x", "r", "bob@x", null, "yo", "<message/>")));
        assertThat(strings("SELECT low || ' ' || high || ' ' || id FROM archive_conversation")).isEmpty();
        assertThat(strings("SELECT owner || ' ' || id FROM archive_sent")).isEmpty();
        ArchiveQuery alices = new ArchiveQuery("alice", Long.MIN_VALUE, Long.MAX_VALUE, null, null, null, 10, false);
        assertThat(archive.query(alices)).extracting(ArchiveRecord::id).containsExactly(7L, 9L);
        assertThat(archive.indexPending()).isGreaterThanOrEqualTo(2);
        assertThat(strings("SELECT low || ' ' || high || ' ' || id FROM archive_conversation"))
                .containsExactly("alice@x bob@x 7", "alice@x bob@x 9");
        assertThat(strings("SELECT owner || ' ' || id FROM archive_sent")).containsExactly("alice 9", "bob 7");
        assertThat(strings("SELECT owner || ' ' || id FROM archive_received")).containsExactly("alice 7", "bob 9");
        assertThat(strings("SELECT last_id FROM archive_conversation_mark")).containsExactly("9");
        assertThat(archive.indexPending()).as("nothing new").isZero();
        assertThat(archive.query(alices)).extracting(ArchiveRecord::id).containsExactly(7L, 9L);

        assertThat(archive.deleteBefore(8, 10)).isEqualTo(1);
        assertThat(strings("SELECT id FROM archive_conversation")).as("a deleted row leaves it").containsExactly("9");
        assertThat(strings("SELECT owner || ' ' || id FROM archive_sent")).containsExactly("alice 9");
        assertThat(strings("SELECT owner || ' ' || id FROM archive_received")).containsExactly("bob 9");

        String plan = plan("SELECT id FROM archive WHERE id IN (SELECT value FROM json_each('[12,13]')) "
                + "AND sender = 'alice' AND to_jid = 'bob@x' ORDER BY id DESC");
        assertThat(plan).contains("SEARCH archive USING INTEGER PRIMARY KEY (rowid=?)");
        plan = plan("SELECT a.id FROM archive_sent o CROSS JOIN archive a ON a.id = o.id "
                + "WHERE o.owner = 'alice' AND a.sender = 'alice' AND o.id > 5 AND o.id <= 100 ORDER BY o.id DESC");
        assertThat(plan).contains("SEARCH o USING PRIMARY KEY (owner=? AND id>? AND id<?)")
                .contains("SEARCH a USING INTEGER PRIMARY KEY (rowid=?)").doesNotContain("TEMP B-TREE");
        plan = plan("SELECT a.id FROM archive_conversation c CROSS JOIN archive a ON a.id = c.id "
                + "WHERE c.low = 'alice@x' AND c.high = 'bob@x' AND c.id > 5 AND a.sender = 'alice' "
                + "AND c.id <= 100 ORDER BY c.id DESC");
        assertThat(plan).contains("SEARCH c USING PRIMARY KEY (low=? AND high=? AND id>? AND id<?)")
                .contains("SEARCH a USING INTEGER PRIMARY KEY (rowid=?)").doesNotContain("TEMP B-TREE");
    }

    /**
     * The ids above the mark live in the store's memory: a store opened again on the database (a
     * restart) reads them from the rows, and a row written below the mark (a clock stepped back
     * across a restart) goes into the tables at once, or no query would find it after the next move.
     */
    @Test
    void recentRowsSurviveARestartAndALateRowIsIndexedAtOnce() {
        ArchiveStore archive = new SqlArchiveStore(sqlite.stores().database());
        archive.append(List.of(new ArchiveRecord(10, "alice", "bob", "alice@x", "r", "bob@x", null, "a", "<message/>")));
        archive.indexPending();
        archive.append(List.of(new ArchiveRecord(20, "bob", "alice", "bob@x", "r", "alice@x", null, "b", "<message/>")));
        ArchiveQuery alices = new ArchiveQuery("alice", Long.MIN_VALUE, Long.MAX_VALUE, null, null, null, 10, true);
        ArchiveQuery withBob = new ArchiveQuery("alice", "alice@x", Long.MIN_VALUE, Long.MAX_VALUE, "bob@x", null, null,
                10, true);
        ArchiveStore restarted = new SqlArchiveStore(sqlite.stores().database());
        assertThat(restarted.query(alices)).extracting(ArchiveRecord::id).containsExactly(20L, 10L);
        assertThat(restarted.query(withBob)).extracting(ArchiveRecord::id).containsExactly(20L, 10L);
        assertThat(restarted.count(alices)).isEqualTo(2);

        restarted.append(List.of(new ArchiveRecord(5, "alice", "bob", "alice@x", "r", "bob@x", null, "late", "<message/>")));
        assertThat(strings("SELECT owner || ' ' || id FROM archive_sent")).containsExactly("alice 5", "alice 10");
        assertThat(strings("SELECT owner || ' ' || id FROM archive_received")).contains("bob 5");
        restarted.indexPending();
        assertThat(restarted.query(alices)).extracting(ArchiveRecord::id).containsExactly(20L, 10L, 5L);
        assertThat(restarted.query(withBob)).extracting(ArchiveRecord::id).containsExactly(20L, 10L, 5L);
        assertThat(restarted.count(withBob)).isEqualTo(3);
    }

    /**
     * The writer under load takes deferred work one transaction at a time, the index tables' and
     * the full-text index's in turn, committing the rows queued meanwhile between them; queries
     * between the steps see every row once.
     */
    @Test
    void deferredWorkGoesOneTransactionAtATimeOldestFirst() {
        ArchiveStore archive = new SqlArchiveStore(sqlite.stores().database());
        List<ArchiveRecord> rows = new ArrayList<>();
        for (long id = 1; id <= 5; id++) {
            rows.add(new ArchiveRecord(id, "alice", "bob", "alice@x", "r", "bob@x", null, "word" + id, "<message/>"));
        }
        archive.append(rows);
        ArchiveQuery conversation = new ArchiveQuery("alice", "alice@x", Long.MIN_VALUE, Long.MAX_VALUE, "bob@x", null,
                null, 10, true);
        ArchiveQuery bobs = new ArchiveQuery("bob", Long.MIN_VALUE, Long.MAX_VALUE, null, null, null, 10, false);
        assertThat(archive.indexPending(2)).as("a stage").isEqualTo(2);
        // All five are staged at once (up to STAGE_SLICES slices); the mark waits for them to be moved.
        assertThat(strings("SELECT id FROM archive_conversation_staged ORDER BY seq")).containsExactly("1", "2", "3", "4", "5");
        assertThat(strings("SELECT side || ' ' || owner || ' ' || id FROM archive_owner_staged ORDER BY seq"))
                .startsWith("0 alice 1", "0 alice 2").endsWith("1 bob 4", "1 bob 5").hasSize(10);
        assertThat(strings("SELECT last_id || ' ' || staged_to FROM archive_conversation_mark")).containsExactly("0 5");
        assertThat(strings("SELECT id FROM archive_fts_pending")).as("the text's turn is next").hasSize(5);
        assertThat(archive.indexPending(2)).as("text").isEqualTo(2);
        assertThat(strings("SELECT id FROM archive_fts_pending")).containsExactly("3", "4", "5");
        assertThat(archive.indexPending(2)).as("a slice moved").isEqualTo(2);
        assertThat(strings("SELECT id FROM archive_conversation")).containsExactly("1", "2");
        assertThat(strings("SELECT owner || ' ' || id FROM archive_sent")).containsExactly("alice 1", "alice 2", "alice 3",
                "alice 4");
        assertThat(archive.query(conversation)).extracting(ArchiveRecord::id).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(archive.query(bobs)).extracting(ArchiveRecord::id).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(archive.count(conversation)).isEqualTo(5);
        assertThat(archive.indexPending(2)).isEqualTo(2);
        assertThat(archive.indexPending(2)).isEqualTo(2);
        assertThat(archive.indexPending(2)).as("the last text and the last slice: caught up").isEqualTo(1);
        assertThat(strings("SELECT last_id || ' ' || coalesce(staged_to, '-') FROM archive_conversation_mark"))
                .containsExactly("5 -");
        assertThat(archive.indexPending(2)).isZero();
        assertThat(strings("SELECT count(*) FROM archive_conversation")).containsExactly("5");
        assertThat(strings("SELECT count(*) FROM archive_received")).containsExactly("5");
        assertThat(strings("SELECT count(*) FROM archive_fts_pending")).containsExactly("0");
        assertThat(archive.count(conversation)).isEqualTo(5);
        assertThat(archive.query(bobs)).extracting(ArchiveRecord::id).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    private List<String> strings(String sql) {
        return sqlite.stores().database().jdbc().read("strings", c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    private String plan(String sql) {
        return sqlite.stores().database().jdbc().read("plan", c -> {
            StringBuilder out = new StringBuilder();
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getString("detail")).append('\n');
                }
            }
            return out.toString();
        });
    }
}
