package org.parley.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.store.StoreContractTest;
import org.parley.store.Stores;

class SqliteStoresTest extends StoreContractTest {

    @TempDir
    Path dir;

    private Path file;
    private SqlStores stores;

    @BeforeEach
    void open() {
        // A directory that does not exist yet: open must create it.
        file = dir.resolve("data/sub/parley.db");
        stores = SqlStores.open("jdbc:sqlite:" + file, 4);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @Override
    protected Stores stores() {
        return stores;
    }

    @Test
    void connectionsAreDurableWalWithForeignKeys() throws SQLException {
        try (Connection c = stores.dataSource().getConnection()) {
            assertThat(pragma(c, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(c, "synchronous")).isEqualTo("2"); // FULL
            assertThat(pragma(c, "foreign_keys")).isEqualTo("1");
            assertThat(Integer.parseInt(pragma(c, "busy_timeout"))).isPositive();
            assertThat(Integer.parseInt(pragma(c, "page_size"))).isEqualTo(Database.SQLITE_PAGE_SIZE);
            assertThat(Long.parseLong(pragma(c, "wal_autocheckpoint")))
                    .isEqualTo(Database.SQLITE_WAL_CHECKPOINT_BYTES / Database.SQLITE_PAGE_SIZE);
            assertThat(Long.parseLong(pragma(c, "mmap_size"))).isEqualTo(Database.DEFAULT_SQLITE_MMAP_BYTES);
        }
    }

    @Test
    void dataSurvivesReopeningAndMigrationsRunOnce() {
        stores.accounts().create("alice", List.of());
        stores.vcards().put("alice", "<vCard xmlns='vcard-temp'/>");
        stores.close();

        stores = SqlStores.open("jdbc:sqlite:" + file, 2);
        assertThat(stores.accounts().list()).containsExactly("alice");
        assertThat(stores.vcards().get("alice")).isPresent();
    }

    @Test
    void unusableUrlsAreRefused() {
        assertThatThrownBy(() -> SqlStores.open("jdbc:sqlite::memory:", 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqlStores.open("jdbc:sqlite:file:x?mode=memory", 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqlStores.open("jdbc:mysql://localhost/x", 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqlStores.open("jdbc:sqlite:" + file, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
