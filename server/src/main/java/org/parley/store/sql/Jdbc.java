package org.parley.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.parley.store.StoreException;

/**
 * Runs units of work on pooled connections: reads in auto-commit, writes in one transaction,
 * turning every {@link SQLException} into a {@link StoreException}. Every SQL store, the core's
 * and the features', goes through it (from {@link Database#jdbc()}). With a native driver
 * (SQLite) a virtual thread's work runs on {@link StoreThreads}, so that it never holds a
 * carrier while the driver blocks; the work must then not rely on anything of the calling
 * thread (its locks, its thread-locals): it only speaks SQL on the connection it is given.
 *
 * <p>Calls take {@link Turns} at the pool, one per connection, in arrival order: a call waits for
 * its turn while the database keeps serving the others, and fails only after
 * {@code database.connectTimeout} in which no call completed (before, every wait for a busy pool
 * failed after that time: see {@link Turns}).
 */
public final class Jdbc {

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static final int SQLITE_NOMEM = 7;
    private static final int SQLITE_FULL = 13;

    private final DataSource dataSource;
    private final Dialect dialect;
    /**
     * SQLite has one writer; queueing here is fairer and cheaper than polling busy_timeout. Null
     * for PostgreSQL. Released with a plain call, never a lambda: a call site linked on the way
     * out can itself fail (a StackOverflowError did, and left every write of the server waiting).
     */
    private final Lock writeLock;
    /** Where virtual threads' calls run with a native driver; null for a pure-Java one. */
    private final StoreThreads threads;
    private final Turns turns;
    private final long patienceMillis;

    /**
     * @param threads  where virtual threads' calls run (a native driver), or null to run them on the caller
     * @param poolSize the pool's connections: calls served at once
     * @param patience how long a call waits for a connection while no other call completes
     */
    Jdbc(DataSource dataSource, Dialect dialect, StoreThreads threads, int poolSize, Duration patience) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.writeLock = dialect == Dialect.SQLITE ? new ReentrantLock(true) : null;
        this.threads = threads;
        this.patienceMillis = patience.toMillis();
        this.turns = new Turns(poolSize, patienceMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Waits for a connection that went on past {@code database.connectTimeout} because the
     * database kept serving other calls (the pool was busy, not broken).
     */
    public long longWaits() {
        return turns.longWaits();
    }

    /** One or more statements in auto-commit mode; use a single statement where consistency matters. */
    public <T> T read(String what, Work<T> work) {
        return threads == null ? readHere(what, work) : threads.run(false, () -> readHere(what, work));
    }

    /** All of {@code work} commits, or none of it does. */
    public <T> T write(String what, Work<T> work) {
        return threads == null ? writeHere(what, work) : threads.run(true, () -> writeHere(what, work));
    }

    private <T> T readHere(String what, Work<T> work) {
        takeTurn(what);
        boolean completed = false;
        try (Connection c = dataSource.getConnection()) {
            T result = work.run(c);
            completed = true;
            return result;
        } catch (SQLException e) {
            throw failed(what, e);
        } finally {
            turns.give(completed);
        }
    }

    private void takeTurn(String what) {
        if (!turns.take()) {
            throw failed(what, new SQLTransientConnectionException("no database connection within " + patienceMillis
                    + " ms, and no other call completed meanwhile"));
        }
    }

    private <T> T writeHere(String what, Work<T> work) {
        if (writeLock != null) {
            writeLock.lock();
        }
        boolean completed = false;
        try {
            takeTurn(what);
        } catch (RuntimeException e) {
            if (writeLock != null) {
                writeLock.unlock();
            }
            throw e;
        }
        try (Connection c = dataSource.getConnection()) {
            dialect.begin(c);
            try {
                T result = work.run(c);
                dialect.commit(c);
                completed = true;
                return result;
            } catch (SQLException | RuntimeException e) {
                // Also after a failed commit: the connection must not go back to the pool mid-transaction.
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw failed(what, e);
        } finally {
            turns.give(completed);
            if (writeLock != null) {
                writeLock.unlock();
            }
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

    static StoreException failed(String what, SQLException e) {
        return new StoreException(kind(e), what + " failed: " + e.getMessage(), e);
    }

    /**
     * {@link StoreException.Kind#FULL} when the database is out of space: SQLite's result codes
     * SQLITE_FULL (13; a full disk, or {@code max_page_count} reached) and SQLITE_NOMEM (7),
     * PostgreSQL's SQLSTATE class 53, insufficient resources (53100 disk_full, 53200
     * out_of_memory, ...). The driver may have wrapped or chained the exception that says so.
     */
    static StoreException.Kind kind(SQLException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (SQLException e = t instanceof SQLException s ? s : null; e != null; e = e.getNextException()) {
                if (e instanceof org.sqlite.SQLiteException sqlite) {
                    int code = sqlite.getResultCode().code & 0xFF;
                    if (code == SQLITE_FULL || code == SQLITE_NOMEM) {
                        return StoreException.Kind.FULL;
                    }
                } else if (e.getSQLState() != null && e.getSQLState().startsWith("53")) {
                    return StoreException.Kind.FULL;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return StoreException.Kind.FAILURE;
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
