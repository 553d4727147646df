package org.parley.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.parley.store.AccountStore;
import org.parley.store.BlockingStore;
import org.parley.store.LastActivityStore;
import org.parley.store.CapsStore;
import org.parley.store.ArchiveStore;
import org.parley.store.OfflineStore;
import org.parley.store.PubSubStore;
import org.parley.store.RosterStore;
import org.parley.store.StoreException;
import org.parley.store.Stores;
import org.parley.store.VCardStore;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The JDBC stores over one HikariCP pool, schema brought up to date by Flyway on open. */
public final class SqlStores implements Stores {

    /** How much of the database file SQLite maps into memory for reads (address space, not heap). */
    private static final long SQLITE_MMAP_BYTES = 1L << 30;

    /** How long a SQLite writer waits for another process's write lock before failing. */
    private static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;
    private static final int SQLITE_CACHE_KB = 16_384;
    private static final java.time.Duration DEFAULT_CONNECT_TIMEOUT = java.time.Duration.ofSeconds(5);

    private final HikariDataSource pool;
    private final AccountStore accounts;
    private final RosterStore roster;
    private final OfflineStore offline;
    private final VCardStore vcards;
    private final BlockingStore blocking;
    private final LastActivityStore lastActivity;
    private final org.parley.store.PushStore push;
    private final PubSubStore pubsub;
    private final CapsStore caps;
    private final ArchiveStore archive;

    private SqlStores(HikariDataSource pool, Dialect dialect, Clock clock) {
        this.pool = pool;
        Jdbc jdbc = new Jdbc(pool, dialect);
        this.accounts = new SqlAccountStore(jdbc, clock);
        this.roster = new SqlRosterStore(jdbc, clock);
        this.offline = new SqlOfflineStore(jdbc, clock);
        this.vcards = new SqlVCardStore(jdbc);
        this.blocking = new SqlBlockingStore(jdbc);
        this.lastActivity = new SqlLastActivityStore(jdbc);
        this.push = new SqlPushStore(jdbc, clock);
        this.pubsub = new SqlPubSubStore(jdbc);
        this.caps = new SqlCapsStore(jdbc);
        this.archive = new SqlArchiveStore(jdbc, dialect);
    }

    /**
     * Opens the database, creating a SQLite file and its parent directories if needed, and
     * migrates the schema.
     *
     * @param jdbcUrl {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://...} (credentials as
     *     URL parameters); an in-memory SQLite database is refused because every pooled
     *     connection would see a different one
     * @param poolSize maximum number of pooled connections
     * @throws StoreException if the database cannot be opened or migrated
     */
    public static SqlStores open(String jdbcUrl, int poolSize) {
        return open(jdbcUrl, poolSize, DEFAULT_CONNECT_TIMEOUT, Clock.systemUTC());
    }

    /** As {@link #open(String, int)}, with the clock that stamps accounts and offline messages. */
    public static SqlStores open(String jdbcUrl, int poolSize, Clock clock) {
        return open(jdbcUrl, poolSize, DEFAULT_CONNECT_TIMEOUT, clock);
    }

    /**
     * As {@link #open(String, int, Clock)}; a store call fails with {@link StoreException} after
     * waiting {@code connectTimeout} for a connection, so an unreachable database turns into a
     * prompt error for the client instead of a hung request.
     */
    public static SqlStores open(String jdbcUrl, int poolSize, java.time.Duration connectTimeout, Clock clock) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1: " + poolSize);
        }
        Dialect dialect = Dialect.fromUrl(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setPoolName("parley-" + dialect.name().toLowerCase(java.util.Locale.ROOT));
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(connectTimeout.toMillis());
        config.setValidationTimeout(Math.min(connectTimeout.toMillis(), 5000));
        if (dialect == Dialect.SQLITE) {
            sqliteFile(jdbcUrl).ifPresent(SqlStores::createParentDirectories);
            config.setDataSource(sqliteDataSource(jdbcUrl));
        } else {
            config.setJdbcUrl(jdbcUrl);
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open database " + redact(jdbcUrl) + ": " + e.getMessage(), e);
        }
        try {
            migrate(pool, dialect);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new SqlStores(pool, dialect, clock);
    }

    @Override
    public AccountStore accounts() {
        return accounts;
    }

    @Override
    public RosterStore roster() {
        return roster;
    }

    @Override
    public OfflineStore offline() {
        return offline;
    }

    @Override
    public VCardStore vcards() {
        return vcards;
    }

    @Override
    public org.parley.store.PushStore push() {
        return push;
    }

    @Override
    public PubSubStore pubsub() {
        return pubsub;
    }

    @Override
    public CapsStore caps() {
        return caps;
    }

    @Override
    public ArchiveStore archive() {
        return archive;
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public BlockingStore blocking() {
        return blocking;
    }

    @Override
    public LastActivityStore lastActivity() {
        return lastActivity;
    }

    /** For tests of this package: the pool, to check connection settings. */
    DataSource dataSource() {
        return pool;
    }

    private static DataSource sqliteDataSource(String jdbcUrl) {
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
        sqlite.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(SQLITE_MMAP_BYTES));
        sqlite.enforceForeignKeys(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(sqlite);
        dataSource.setUrl(jdbcUrl);
        return dataSource;
    }

    private static void migrate(DataSource dataSource, Dialect dialect) {
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations(dialect.migrationLocation())
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("database migration failed: " + e.getMessage(), e);
        }
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

    /** URLs may carry a password; keep it out of error messages. */
    private static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
