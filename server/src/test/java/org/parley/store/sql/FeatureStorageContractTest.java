package org.parley.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.parley.store.StoreException;

/**
 * The seam a feature's storage is built on, on every database: its own migrations (test resources
 * {@code db/testnotes/<dialect>}) with its own history, beside the core's untouched history, and
 * account-removal hooks that run in the account's deleting transaction.
 */
abstract class FeatureStorageContractTest {

    /**
     * The checksums of the core migrations V1 to V5 as operators' databases recorded them. Flyway
     * refuses to start on a database whose recorded checksum differs from its migration's, so these
     * files must never change: a change of schema is a new migration.
     */
    static final Map<String, Map<String, Integer>> CORE_CHECKSUMS = Map.of(
            "SQLITE", Map.of("1", -540713788, "2", 214867673, "3", 182310196, "4", 58156314, "5", 1454553792),
            "POSTGRESQL", Map.of("1", -129055976, "2", -492939693, "3", -1359012866, "4", 58156314, "5", 1454553792));

    protected abstract SqlStores stores();

    private Database database() {
        return stores().database();
    }

    @Test
    void theCoreMigrationsAreTheOnesOperatorsDatabasesRecorded() {
        assertThat(history("flyway_schema_history")).containsExactlyInAnyOrderEntriesOf(
                CORE_CHECKSUMS.get(database().dialect().name()));
    }

    @Test
    void aFeatureMigratesItsOwnSchemaWithItsOwnHistory() {
        Map<String, Integer> core = history("flyway_schema_history");
        database().migrate("testnotes");
        database().migrate("testnotes"); // a second start finds nothing to do
        assertThat(history("flyway_testnotes_history").keySet()).containsExactlyInAnyOrder("0", "1");
        assertThat(history("flyway_schema_history")).isEqualTo(core);
        stores().accounts().create("alice", List.of());
        note("alice", "kept");
        assertThat(notes("alice")).containsExactly("kept");
    }

    @Test
    void aFeatureWithoutMigrationsHasNoHistory() throws SQLException {
        database().migrate("nothingyet");
        try (Connection c = database().dataSource().getConnection();
             ResultSet rs = c.getMetaData().getTables(null, null, "flyway_nothingyet_history", null)) {
            assertThat(rs.next()).isFalse();
        }
        assertThatThrownBy(() -> database().migrate("../migration")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void removingAnAccountRunsTheFeaturesHooksInItsTransaction() {
        database().migrate("testnotes");
        List<String> removed = new ArrayList<>();
        AtomicBoolean failing = new AtomicBoolean();
        AtomicBoolean active = new AtomicBoolean(true); // the database outlives this test on PostgreSQL
        database().onAccountRemoved((c, username) -> {
            if (!active.get()) {
                return;
            }
            Jdbc.update(c, "DELETE FROM test_notes WHERE owner = ?", username);
            if (failing.get()) {
                throw new SQLException("disk on fire");
            }
            removed.add(username);
        });
        try {
            stores().accounts().create("alice", List.of());
            stores().accounts().create("bob", List.of());
            note("alice", "a");
            note("bob", "b");

            assertThat(stores().accounts().delete("alice")).isTrue();
            assertThat(stores().accounts().delete("alice")).isFalse();
            assertThat(removed).containsExactly("alice"); // not run for an account that is not there
            assertThat(notes("alice")).isEmpty();
            assertThat(notes("bob")).containsExactly("b");

            // A hook that fails after deleting keeps the account and everything of it: all or nothing.
            failing.set(true);
            assertThatThrownBy(() -> stores().accounts().delete("bob")).isInstanceOf(StoreException.class);
            assertThat(stores().accounts().exists("bob")).isTrue();
            assertThat(notes("bob")).containsExactly("b");
        } finally {
            active.set(false);
        }
    }

    private void note(String owner, String text) {
        database().jdbc().write("add note", c -> Jdbc.update(c, "INSERT INTO test_notes (owner, note) VALUES (?, ?)",
                owner, text));
    }

    private List<String> notes(String owner) {
        return database().jdbc().read("read notes", c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT note FROM test_notes WHERE owner = ?")) {
                ps.setString(1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** A history table's versions and checksums (the baseline's checksum reads as 0). */
    private Map<String, Integer> history(String table) {
        return database().jdbc().read("read " + table, c -> {
            Map<String, Integer> out = new java.util.LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT version, checksum FROM " + table
                    + " WHERE success = " + (database().dialect() == Dialect.SQLITE ? "1" : "true"));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
            return out;
        });
    }
}
