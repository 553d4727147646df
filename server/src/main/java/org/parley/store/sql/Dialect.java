package org.parley.store.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What differs between the two databases: URL prefix, migrations, transaction control, row locks.
 * A feature's SQL store asks it where its SQL must differ.
 */
public enum Dialect {

    /**
     * Transactions are driven with explicit statements rather than {@code setAutoCommit(false)}
     * because the driver would open its next transaction right after each commit, keeping a
     * pooled connection inside a transaction while it sits idle.
     */
    SQLITE("jdbc:sqlite:", "SELECT 1 FROM accounts WHERE username = ?") {
        @Override
        void begin(Connection c) throws SQLException {
            execute(c, "BEGIN IMMEDIATE");
        }

        @Override
        void commit(Connection c) throws SQLException {
            execute(c, "COMMIT");
        }

        @Override
        void rollback(Connection c) throws SQLException {
            execute(c, "ROLLBACK");
        }
    },

    POSTGRESQL("jdbc:postgresql:", "SELECT 1 FROM accounts WHERE username = ? FOR UPDATE") {
        @Override
        void begin(Connection c) throws SQLException {
            c.setAutoCommit(false);
        }

        @Override
        void commit(Connection c) throws SQLException {
            c.commit();
            c.setAutoCommit(true);
        }

        @Override
        void rollback(Connection c) throws SQLException {
            c.rollback();
            c.setAutoCommit(true);
        }
    };

    private final String urlPrefix;
    private final String lockAccountSql;

    Dialect(String urlPrefix, String lockAccountSql) {
        this.urlPrefix = urlPrefix;
        this.lockAccountSql = lockAccountSql;
    }

    static Dialect fromUrl(String jdbcUrl) {
        for (Dialect d : values()) {
            if (jdbcUrl.startsWith(d.urlPrefix)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unsupported JDBC URL (want jdbc:sqlite: or jdbc:postgresql:): " + jdbcUrl);
    }

    String urlPrefix() {
        return urlPrefix;
    }

    /** Where the core's migrations are on the class path. */
    String coreMigrations() {
        return "db/migration/" + directory();
    }

    /** Where a feature's own migrations are on the class path (see {@link Database}). */
    String featureMigrations(String feature) {
        return "db/" + feature + "/" + directory();
    }

    private String directory() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Selects the account row and, where the database has row locks, locks it until the
     * transaction ends. On SQLite the whole database is already locked by {@code BEGIN IMMEDIATE}.
     */
    String lockAccountSql() {
        return lockAccountSql;
    }

    abstract void begin(Connection c) throws SQLException;

    abstract void commit(Connection c) throws SQLException;

    abstract void rollback(Connection c) throws SQLException;

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
