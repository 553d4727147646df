package org.parley.store.sql;

import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.parley.store.AccountStore;
import org.parley.store.RosterStore;
import org.parley.store.StoreException;
import org.parley.store.Stores;
import org.parley.store.VCardStore;

/** The core's JDBC stores over one {@link Database}; closing them closes the database. */
public final class SqlStores implements Stores {

    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final Database database;
    private final AccountStore accounts;
    private final RosterStore roster;
    private final VCardStore vcards;

    public SqlStores(Database database) {
        this.database = database;
        this.accounts = new SqlAccountStore(database);
        this.roster = new SqlRosterStore(database.jdbc(), database.clock());
        this.vcards = new SqlVCardStore(database.jdbc());
    }

    /**
     * Opens the database (see {@link Database#open}) with a five-second connection timeout and
     * the system clock.
     *
     * @throws StoreException if the database cannot be opened or migrated
     */
    public static SqlStores open(String jdbcUrl, int poolSize) {
        return open(jdbcUrl, poolSize, DEFAULT_CONNECT_TIMEOUT, Clock.systemUTC());
    }

    /** As {@link #open(String, int)}, with the clock that stamps accounts and other rows. */
    public static SqlStores open(String jdbcUrl, int poolSize, Clock clock) {
        return open(jdbcUrl, poolSize, DEFAULT_CONNECT_TIMEOUT, clock);
    }

    /** See {@link Database#open}. */
    public static SqlStores open(String jdbcUrl, int poolSize, Duration connectTimeout, Clock clock) {
        return new SqlStores(Database.open(jdbcUrl, poolSize, connectTimeout, clock));
    }

    /** The database these stores are on, which features build their own stores on. */
    public Database database() {
        return database;
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
    public VCardStore vcards() {
        return vcards;
    }

    @Override
    public void close() {
        database.close();
    }

    /** For tests of this package: the pool, to check connection settings. */
    DataSource dataSource() {
        return database.dataSource();
    }
}
