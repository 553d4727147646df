package org.parley.store.sql;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Assumptions;
import org.parley.store.StoreContractTest;
import org.parley.store.Stores;

/**
 * The store contract on the local PostgreSQL (127.0.0.1:5432, user postgres, trust auth), in a
 * database created for this class and dropped afterwards. Skipped when PostgreSQL is not
 * running, except on CI where that is a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresStoresTest extends StoreContractTest {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String ADMIN_URL = SERVER + "test?user=postgres&connectTimeout=3";

    private final String database = "parley_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
            .toLowerCase(Locale.ROOT);
    private boolean created;
    private SqlStores stores;

    @BeforeAll
    void createDatabase() {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + database);
            created = true;
        } catch (SQLException e) {
            String message = "PostgreSQL not reachable at 127.0.0.1:5432 as user postgres (" + e.getMessage()
                    + "); start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";
            if ("true".equals(System.getenv("CI"))) {
                fail(message, e);
            }
            Assumptions.abort(message);
        }
        stores = SqlStores.open(SERVER + database + "?user=postgres", 4);
    }

    @AfterAll
    void dropDatabase() throws SQLException {
        if (stores != null) {
            stores.close();
        }
        if (!created) {
            return;
        }
        try (Connection admin = DriverManager.getConnection(ADMIN_URL); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = stores.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE accounts, credentials, roster_items, roster_groups, pending_in, offline, vcards");
        }
    }

    @Override
    protected Stores stores() {
        return stores;
    }
}
