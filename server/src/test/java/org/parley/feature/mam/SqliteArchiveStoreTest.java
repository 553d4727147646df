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
}
