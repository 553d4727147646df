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
     * A message costs one conversation index entry, not one per side: the index of each side's
     * conversations took an entry at a random leaf for every message (db/mam/sqlite/V3). A query
     * of one conversation, page or count, seeks straight to it and reads its entries only.
     */
    @Test
    void oneConversationIndexServesBothSides() {
        List<String> indexes = sqlite.stores().database().jdbc().read("indexes", c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'archive' ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        assertThat(indexes).containsExactly("archive_by_recipient", "archive_by_sender", "archive_conversation");
        String plan = plan("SELECT COUNT(*) FROM archive WHERE sender = 'alice' AND min(from_jid, to_jid) = 'alice@x' "
                + "AND max(from_jid, to_jid) = 'bob@x' AND id > 5");
        // Not shown as COVERING (the index holds expressions, not from_jid and to_jid), but SQLite
        // defers the row's seek until a column of the row is read, and none is.
        assertThat(plan).contains("USING INDEX archive_conversation (<expr>=? AND <expr>=? AND id>?)");
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
