package org.parley.config;

import java.time.Duration;

/** {@code database.*}: the JDBC store. */
public record DatabaseSettings(SectionValues values) {

    static final Option<String> URL = Option.text("url", null, "the JDBC URL of the store")
            .check(url -> url.startsWith("jdbc:"),
                    "a JDBC URL such as jdbc:sqlite:data/parley.db or jdbc:postgresql://host/db")
            .documentedAs("`jdbc:sqlite:<dataDir>/parley.db`");
    static final Option<Integer> POOL_SIZE = Option.integer("poolSize", 8, 1, 1000, "JDBC connections");
    // Hikari needs at least 250 ms; beyond a minute clients give up first.
    static final Option<Duration> CONNECT_TIMEOUT = Option.duration("connectTimeout", Duration.ofSeconds(5),
            Duration.ofMillis(250), Duration.ofMinutes(1), "how long a store call waits for a connection while no other call completes");

    // SQLite only. The default is Database.DEFAULT_SQLITE_MMAP_BYTES (config names no store class).
    static final Option<Integer> MMAP_BYTES = Option.integer("mmapBytes", 1 << 30, 0, Integer.MAX_VALUE,
            "bytes of the SQLite database file mapped into memory for reads (0 = none)");

    public static final Section SECTION = Section.of("database", URL, POOL_SIZE, CONNECT_TIMEOUT, MMAP_BYTES);

    /** The JDBC URL; SQLite in the data directory unless set. */
    public String url() {
        return values.get(URL);
    }

    public boolean isSqlite() {
        return url().startsWith("jdbc:sqlite:");
    }

    public int poolSize() {
        return values.get(POOL_SIZE);
    }

    /** A store call waiting this long for a connection, with no other call completing meanwhile, fails. */
    public Duration connectTimeout() {
        return values.get(CONNECT_TIMEOUT);
    }

    /** SQLite's {@code mmap_size}: how much of the database file its connections map for reads. */
    public long mmapBytes() {
        return values.get(MMAP_BYTES);
    }
}
