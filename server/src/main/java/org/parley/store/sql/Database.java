package org.parley.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.parley.store.StoreException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The server's database, the seam every SQL store is built on: one HikariCP pool, the
 * {@link Jdbc} helper that runs work on it, the {@link Dialect} and the clock. Opening it brings
 * the core schema up to date; a feature brings its own up to date with {@link #migrate} and
 * registers what goes with a removed account with {@link #onAccountRemoved}.
 *
 * <p>Migrations. The core's live under {@code db/migration/<dialect>} with Flyway's default
 * history table. They created every table of this server's first features too, and operators'
 * databases recorded them there, so they stay the core's history, unchanged. A feature's own
 * migrations live under {@code db/<feature>/<dialect>}, versioned from V1, with their own history
 * table {@code flyway_<feature>_history} whose baseline (version 0) is whatever the core already
 * made: so a feature adds tables and columns without touching the core's history or any other
 * feature's, and an existing database takes its first feature migration like a new one.
 */
public final class Database implements AutoCloseable {

    /**
     * How much of the database file SQLite maps into memory for reads when no setting says
     * ({@code database.mmapBytes}'s default). Mapped pages the connections touch count in the
     * process's RSS as clean file pages, so the map bounds how much of a growing database does.
     */
    public static final long DEFAULT_SQLITE_MMAP_BYTES = 1L << 30;
    /** How long a SQLite writer waits for another process's write lock before failing. */
    private static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;
    private static final int SQLITE_CACHE_KB = 16_384;
    /**
     * WAL bytes after which a commit copies the WAL into the database file, as pages of the
     * database's size ({@code wal_autocheckpoint}; SQLite's default is 1,000 pages, 4 MB at 4 KiB).
     * One archive group commit dirties thousands of pages (a leaf of each owner index per user,
     * and the deferred conversation batches scatter), so at 1,000 every commit was followed by a
     * checkpoint that wrote each page again; a page dirtied by several commits between two
     * checkpoints is copied once (measured: 25-35% fewer bytes written per archived message,
     * BENCHMARKS.md). About 40 MB of WAL at most between checkpoints, read back on recovery.
     */
    static final long SQLITE_WAL_CHECKPOINT_BYTES = 40L << 20;
    /**
     * The page size a new SQLite database is created with (SQLite's default is 4 KiB). SQLite
     * writes a WAL frame per page with two write calls, so the archive writer's commits made
     * about three write calls per archived message at 4 KiB and one at 16 KiB, for a sixth less
     * of the writer's CPU on this kind of machine, where each system call costs several
     * microseconds, and a third more bytes written (BENCHMARKS.md, "What the archive writer's time
     * is"). A database keeps the page size it was created with.
     */
    static final int SQLITE_PAGE_SIZE = 16_384;
    private static final Pattern FEATURE = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    private final HikariDataSource pool;
    /**
     * What Flyway migrates through. For PostgreSQL, connections of its own outside the pool:
     * Flyway holds two at once there (its lock and its work), so from a pool of one it waited
     * {@code database.connectTimeout} and the server failed at startup. SQLite: the pool.
     */
    private final DataSource migrations;
    /** SQLite's driver is native code: virtual threads' calls run on these (see {@link StoreThreads}). */
    private final StoreThreads threads;
    private final Dialect dialect;
    private final Clock clock;
    private final Jdbc jdbc;
    private final List<AccountRemoval> accountRemovals = new CopyOnWriteArrayList<>();

    private Database(HikariDataSource pool, DataSource migrations, Dialect dialect, Clock clock, int poolSize,
                     Duration connectTimeout) {
        this.pool = pool;
        this.migrations = migrations == null ? pool : migrations;
        this.dialect = dialect;
        this.clock = clock;
        this.threads = dialect == Dialect.SQLITE ? new StoreThreads(pool.getPoolName(), poolSize) : null;
        this.jdbc = new Jdbc(pool, dialect, threads, poolSize, connectTimeout);
    }

    /**
     * Opens the database, creating a SQLite file and its parent directories if needed, and
     * migrates the core schema.
     *
     * @param jdbcUrl        {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://...} (credentials as
     *                       URL parameters); an in-memory SQLite database is refused because every
     *                       pooled connection would see a different one
     * @param poolSize       maximum number of pooled connections
     * @param connectTimeout a store call waiting this long for a connection fails with
     *                       {@link StoreException}, so an unreachable database turns into a prompt
     *                       error for the client instead of a hung request
     * @param clock          what stamps accounts, offline messages and other rows
     * @throws StoreException if the database cannot be opened or migrated
     */
    public static Database open(String jdbcUrl, int poolSize, Duration connectTimeout, Clock clock) {
        return open(jdbcUrl, poolSize, connectTimeout, DEFAULT_SQLITE_MMAP_BYTES, clock);
    }

    /**
     * As {@link #open(String, int, Duration, Clock)}, with SQLite's memory map.
     *
     * @param sqliteMmapBytes how much of a SQLite database file each connection maps for reads
     *                        ({@code PRAGMA mmap_size}; 0 = none: reads copy pages into the page
     *                        cache); ignored for PostgreSQL
     */
    public static Database open(String jdbcUrl, int poolSize, Duration connectTimeout, long sqliteMmapBytes,
                                Clock clock) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1: " + poolSize);
        }
        Dialect dialect = Dialect.fromUrl(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setPoolName("parley-" + dialect.name().toLowerCase(Locale.ROOT));
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(connectTimeout.toMillis());
        config.setValidationTimeout(Math.min(connectTimeout.toMillis(), 5000));
        if (dialect == Dialect.SQLITE) {
            int pageSize = sqliteFile(jdbcUrl).map(file -> {
                createParentDirectories(file);
                return sqlitePageSize(jdbcUrl, file);
            }).orElse(SQLITE_PAGE_SIZE);
            config.setDataSource(sqliteDataSource(jdbcUrl, sqliteMmapBytes));
            // SQLiteConfig has no setter for it; it is a setting of each connection.
            config.setConnectionInitSql("PRAGMA wal_autocheckpoint=" + SQLITE_WAL_CHECKPOINT_BYTES / pageSize);
        } else {
            config.setJdbcUrl(jdbcUrl);
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open database " + redact(jdbcUrl) + ": " + e.getMessage(), e);
        }
        Database database = new Database(pool, dialect == Dialect.SQLITE ? null : unpooled(jdbcUrl), dialect, clock,
                poolSize, connectTimeout);
        try {
            database.flyway(dialect.coreMigrations(), null).migrate();
        } catch (FlywayException e) {
            database.close();
            throw new StoreException("database migration failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    public Dialect dialect() {
        return dialect;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Brings {@code feature}'s schema up to date from {@code db/<feature>/<dialect>} (see the class
     * documentation); nothing to do while a feature has no migrations of its own.
     *
     * @param feature lower case letters, digits and '_', e.g. the module's name
     * @throws StoreException if a migration fails
     */
    public void migrate(String feature) {
        if (!FEATURE.matcher(feature).matches()) {
            throw new IllegalArgumentException("not a feature name for migrations: " + feature);
        }
        String location = dialect.featureMigrations(feature);
        if (Database.class.getClassLoader().getResource(location) == null) {
            return;
        }
        try {
            flyway(location, "flyway_" + feature + "_history").migrate();
        } catch (FlywayException e) {
            throw new StoreException("database migration of " + feature + " failed: " + e.getMessage(), e);
        }
    }

    /** Adds a hook that removes an account's data in a feature's store (see {@link AccountRemoval}). */
    public void onAccountRemoved(AccountRemoval removal) {
        accountRemovals.add(removal);
    }

    List<AccountRemoval> accountRemovals() {
        return accountRemovals;
    }

    /** For tests of this package: the pool, to check connection settings. */
    DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        if (threads != null) {
            threads.close(); // the calls under way end first, on open connections
        }
        pool.close();
    }

    /** @param table the history table, null for Flyway's default (the core's) */
    private Flyway flyway(String location, String table) {
        var config = Flyway.configure().dataSource(migrations).locations("classpath:" + location);
        if (table != null) {
            // The schema holds the core's tables already: record them as this history's baseline.
            config.table(table).baselineOnMigrate(true).baselineVersion("0");
        }
        return config.load();
    }

    /** PostgreSQL connections opened on demand, credentials from the URL's parameters. */
    private static DataSource unpooled(String jdbcUrl) {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        return ds;
    }

    private static DataSource sqliteDataSource(String jdbcUrl, long mmapBytes) {
        if (mmapBytes < 0) {
            throw new IllegalArgumentException("mmap size must not be negative: " + mmapBytes);
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss, and
        // an acknowledged message must never be lost.
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
        // 16 MB of page cache per connection (SQLite's default is 2 MB): the archive's owner
        // indexes take an insert at the end of every user's range, and once those pages no longer
        // fit, each group commit re-reads them (measured: 2-3x the writer's CPU per message).
        sqlite.setCacheSize(-SQLITE_CACHE_KB);
        // Reads through a memory map instead of a pread per page: a history page touches some
        // fifty rows scattered over the archive.
        sqlite.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(mmapBytes));
        sqlite.enforceForeignKeys(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(sqlite);
        dataSource.setUrl(jdbcUrl);
        return dataSource;
    }

    /** The file of a SQLite URL; refuses in-memory databases. */
    static Optional<Path> sqliteFile(String jdbcUrl) {
        String location = jdbcUrl.substring(Dialect.SQLITE.urlPrefix().length());
        int query = location.indexOf('?');
        String path = query >= 0 ? location.substring(0, query) : location;
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        if (path.isEmpty() || path.startsWith(":memory:") || location.contains("mode=memory")) {
            throw new IllegalArgumentException("SQLite needs a database file, not an in-memory database: " + jdbcUrl);
        }
        if (path.startsWith(":resource:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(path));
    }

    private static void createParentDirectories(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StoreException("cannot create directory " + parent + ": " + e.getMessage(), e);
        }
    }

    /**
     * The page size of a SQLite database file, which is first created, with the WAL on and
     * {@link #SQLITE_PAGE_SIZE} pages, if it does not exist yet: the pool's connections turn the
     * WAL on as they connect, which writes the file's first page, and the page size can no longer
     * change after that (short of a VACUUM), so an existing database keeps its own.
     */
    private static int sqlitePageSize(String jdbcUrl, Path file) {
        SQLiteDataSource plain = new SQLiteDataSource();
        plain.setUrl(jdbcUrl);
        try (Connection c = plain.getConnection(); Statement st = c.createStatement()) {
            if (Files.size(file) == 0) {
                st.execute("PRAGMA page_size=" + SQLITE_PAGE_SIZE);
                st.execute("PRAGMA journal_mode=WAL");
            }
            try (var rs = st.executeQuery("PRAGMA page_size")) {
                rs.next(); // the pragma always answers one row
                return rs.getInt(1);
            }
        } catch (IOException | SQLException e) {
            throw new StoreException("cannot open database " + file + ": " + e.getMessage(), e);
        }
    }

    /** URLs may carry a password; keep it out of error messages. */
    private static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
