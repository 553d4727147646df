package org.parley.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.parley.store.StoreException;

/**
 * Runs units of work on pooled connections: reads in auto-commit, writes in one transaction,
 * turning every {@link SQLException} into a {@link StoreException}. Every SQL store, the core's
 * and the features', goes through it (from {@link Database#jdbc()}).
 */
public final class Jdbc {

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private final Dialect dialect;
    /** SQLite has one writer; queueing here is fairer and cheaper than polling busy_timeout. */
    private final Optional<Lock> writeLock;

    Jdbc(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.writeLock = dialect == Dialect.SQLITE ? Optional.of(new ReentrantLock(true)) : Optional.empty();
    }

    /** One or more statements in auto-commit mode; use a single statement where consistency matters. */
    public <T> T read(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    /** All of {@code work} commits, or none of it does. */
    public <T> T write(String what, Work<T> work) {
        writeLock.ifPresent(Lock::lock);
        try (Connection c = dataSource.getConnection()) {
            dialect.begin(c);
            try {
                T result = work.run(c);
                dialect.commit(c);
                return result;
            } catch (SQLException | RuntimeException e) {
                // Also after a failed commit: the connection must not go back to the pool mid-transaction.
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        } finally {
            writeLock.ifPresent(Lock::unlock);
        }
    }

    /**
     * Inside a write: makes sure the owner's account exists and holds it for the rest of the
     * transaction, so per-owner caps and orderings cannot race.
     */
    public void lockAccount(Connection c, String owner) throws SQLException {
        if (!lockAccountIfExists(c, owner)) {
            throw new StoreException("no such account: " + owner);
        }
    }

    /** Like {@link #lockAccount} but reports a missing account instead of failing. */
    public boolean lockAccountIfExists(Connection c, String owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.lockAccountSql())) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Executes an update with string parameters and returns the number of rows changed. */
    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }

    private void rollbackQuietly(Connection c, Exception cause) {
        try {
            dialect.rollback(c);
        } catch (SQLException e) {
            // The connection is probably broken; the pool discards it. Keep the first failure.
            cause.addSuppressed(e);
        }
    }
}
