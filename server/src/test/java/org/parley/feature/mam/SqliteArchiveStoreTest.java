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
     * A message costs no conversation index entry when it is written: the conversation index took
     * an entry at a random leaf for every message, about one dirty page each per group commit
     * (db/mam/sqlite/V4). The writer's deferred work puts them in {@code archive_conversation} in
     * sorted batches; a query of one conversation reads the rows after its mark through the
     * owner's side index and the older ones through the table, seeking straight to the pair.
     */
    @Test
    void conversationsAreIndexedLaterInBatchesAndReadFromBothPlaces() {
        assertThat(strings("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'archive' "
                + "AND sql IS NOT NULL ORDER BY name")).containsExactly("archive_by_recipient", "archive_by_sender");
        ArchiveStore archive = new SqlArchiveStore(sqlite.stores().database());
        archive.append(List.of(new ArchiveRecord(7, "bob", "alice", "bob@x", "r", "alice@x", null, "hi", "<message/>"),
                new ArchiveRecord(9, "alice", "bob", "alice@x", "r", "bob@x", null, "yo", "<message/>")));
        assertThat(strings("SELECT low || ' ' || high || ' ' || id FROM archive_conversation")).isEmpty();
        assertThat(archive.indexPending()).isGreaterThanOrEqualTo(2);
        assertThat(strings("SELECT low || ' ' || high || ' ' || id FROM archive_conversation"))
                .containsExactly("alice@x bob@x 7", "alice@x bob@x 9");
        assertThat(strings("SELECT last_id FROM archive_conversation_mark")).containsExactly("9");
        assertThat(archive.indexPending()).as("nothing new").isZero();

        assertThat(archive.deleteBefore(8, 10)).isEqualTo(1);
        assertThat(strings("SELECT id FROM archive_conversation")).as("a deleted row leaves it").containsExactly("9");

        String plan = plan("SELECT id FROM archive WHERE sender = 'alice' AND id > 5 AND to_jid = 'bob@x' "
                + "AND id > (SELECT last_id FROM archive_conversation_mark)");
        assertThat(plan).contains("USING COVERING INDEX archive_by_sender (sender=? AND id>?)");
        plan = plan("SELECT a.id FROM archive_conversation c CROSS JOIN archive a ON a.id = c.id "
                + "WHERE c.low = 'alice@x' AND c.high = 'bob@x' AND c.id > 5 AND a.sender = 'alice' "
                + "AND c.id <= (SELECT last_id FROM archive_conversation_mark) ORDER BY c.id DESC");
        assertThat(plan).contains("SEARCH c USING PRIMARY KEY (low=? AND high=? AND id>? AND id<?)")
                .contains("SEARCH a USING INTEGER PRIMARY KEY (rowid=?)").doesNotContain("TEMP B-TREE");
    }

    /** The writer under load takes deferred work a slice at a time; queries between slices see every row once. */
    @Test
    void deferredWorkGoesInSlicesOldestFirst() {
        ArchiveStore archive = new SqlArchiveStore(sqlite.stores().database());
        List<ArchiveRecord> rows = new ArrayList<>();
        for (long id = 1; id <= 5; id++) {
            rows.add(new ArchiveRecord(id, "alice", "bob", "alice@x", "r", "bob@x", null, "word" + id, "<message/>"));
        }
        archive.append(rows);
        ArchiveQuery conversation = new ArchiveQuery("alice", "alice@x", Long.MIN_VALUE, Long.MAX_VALUE, "bob@x", null,
                null, 10, true);
        assertThat(archive.indexPending(2)).isEqualTo(2);
        // All five are staged at once (up to STAGE_SLICES slices), two of them moved into the
        // table; the mark waits for the rest, so a query reads the moved ones as rows above it.
        assertThat(strings("SELECT id FROM archive_conversation")).containsExactly("1", "2");
        assertThat(strings("SELECT id FROM archive_conversation_staged ORDER BY seq")).containsExactly("3", "4", "5");
        assertThat(strings("SELECT last_id || ' ' || staged_to FROM archive_conversation_mark")).containsExactly("0 5");
        assertThat(strings("SELECT id FROM archive_fts_pending")).containsExactly("3", "4", "5");
        assertThat(archive.query(conversation)).extracting(ArchiveRecord::id).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(archive.count(conversation)).isEqualTo(5);
        assertThat(archive.indexPending(2)).isEqualTo(2);
        assertThat(archive.query(conversation)).extracting(ArchiveRecord::id).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(archive.indexPending(2)).as("the last one: caught up").isEqualTo(1);
        assertThat(strings("SELECT last_id || ' ' || coalesce(staged_to, '-') FROM archive_conversation_mark"))
                .containsExactly("5 -");
        assertThat(archive.indexPending(2)).isZero();
        assertThat(strings("SELECT count(*) FROM archive_conversation")).containsExactly("5");
        assertThat(strings("SELECT count(*) FROM archive_fts_pending")).containsExactly("0");
        assertThat(archive.count(conversation)).isEqualTo(5);
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
