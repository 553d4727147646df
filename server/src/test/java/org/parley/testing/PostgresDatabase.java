package org.parley.testing;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway database on the local PostgreSQL (127.0.0.1:5432, user postgres, trust auth), so
 * test classes running side by side never see each other's rows. Aborts the test when
 * PostgreSQL is not running, except on CI where that is a failure.
 */
public final class PostgresDatabase implements AutoCloseable {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String ADMIN_URL = SERVER + "test?user=postgres&connectTimeout=3";

    private final String name;

    private PostgresDatabase(String name) {
        this.name = name;
    }

    /** Creates {@code <prefix>_<random>}; {@code prefix} says which test made it when one is left behind. */
    public static PostgresDatabase create(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        try (Connection admin = DriverManager.getConnection(ADMIN_URL); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            String message = "PostgreSQL not reachable at 127.0.0.1:5432 as user postgres (" + e.getMessage()
                    + "); start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";
            if ("true".equals(System.getenv("CI"))) {
                fail(message, e);
            }
            Assumptions.abort(message);
        }
        return new PostgresDatabase(name);
    }

    public String name() {
        return name;
    }

    /** The JDBC URL a server or store uses, direct to 127.0.0.1:5432. */
    public String url() {
        return SERVER + name + "?user=postgres";
    }

    /** The JDBC URL through another port on loopback, such as a {@link TcpProxy}'s. */
    public String url(int port, String extraParameters) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name + "?user=postgres" + extraParameters;
    }

    /** Empties every table the migrations made, keeping the schema and Flyway's history. */
    public void truncateAll() throws SQLException {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    + " AND tablename NOT LIKE 'flyway%'")) {
                while (rs.next()) {
                    tables.add('"' + rs.getString(1) + '"');
                }
            }
            if (!tables.isEmpty()) {
                s.execute("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
            }
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
