package org.parley.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.Clients;
import org.parley.testing.MessageInbox;
import org.parley.testing.TestServer;

/**
 * {@code database.mmapBytes} reaches SQLite: every pooled connection of a running server reads
 * back the {@code mmap_size} it was given, and with 0 the process maps no page of its database
 * file (the pages a mapped read touches count in the server's RSS: BENCHMARKS.md).
 */
class SqliteMmapSettingTest {

    @TempDir
    Path dir;

    @Test
    void everyConnectionHasTheConfiguredMap() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("PARLEY_DATABASE_MMAP_BYTES", "1048576"))) {
            assertThat(mmapSizes(server)).containsOnly(1_048_576L);
        }
        try (TestServer server = TestServer.start(dir, Map.of("PARLEY_DATABASE_MMAP_BYTES", "0"))) {
            assertThat(mmapSizes(server)).containsOnly(0L);
        }
    }

    @Test
    void theDefaultIsTheDatabasesDefault() throws Exception {
        Map<String, String> unset = new HashMap<>();
        unset.put("PARLEY_DATABASE_MMAP_BYTES", null);
        try (TestServer server = TestServer.start(dir, unset)) {
            assertThat(mmapSizes(server)).containsOnly(Database.DEFAULT_SQLITE_MMAP_BYTES);
        }
    }

    @Test
    void withoutAMapTheServerMapsNoPageOfItsDatabase() throws Exception {
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "needs Linux's /proc");
        try (TestServer server = TestServer.start(dir, Map.of("PARLEY_DATABASE_MMAP_BYTES", "0"))) {
            server.createUser("map_alice", "map_alice-pw");
            server.createUser("map_bob", "map_bob-pw");
            Path db = dir.resolve("parley.db").toRealPath();
            chatWithHistory(server);
            assertThat(mapped(maps, db)).as("parley.db mapped with mmapBytes 0").isFalse();
        }
        try (TestServer server = TestServer.start(dir, Map.of("PARLEY_DATABASE_MMAP_BYTES", "1048576"))) {
            chatWithHistory(server);
            Path db = dir.resolve("parley.db").toRealPath();
            assertThat(mapped(maps, db)).as("parley.db mapped with mmapBytes 1048576").isTrue();
        }
    }

    /** Logins (the accounts read) and a message, which the archive stores. */
    private static void chatWithHistory(TestServer server) throws Exception {
        Clients clients = new Clients(server);
        try (MessageInbox alice = MessageInbox.login(clients, "map_alice", "map_alice-pw", "a");
             MessageInbox bob = MessageInbox.login(clients, "map_bob", "map_bob-pw", "b")) {
            alice.chatWith(bob, "hello");
            bob.chatWith(alice, "hi");
        }
    }

    private static boolean mapped(Path maps, Path db) throws Exception {
        return Files.readAllLines(maps).stream().anyMatch(line -> line.endsWith(" " + db));
    }

    /** {@code PRAGMA mmap_size} of as many pooled connections as the pool holds, taken at once. */
    private static List<Long> mmapSizes(TestServer server) throws SQLException {
        var pool = (com.zaxxer.hikari.HikariDataSource) server.server().database().dataSource();
        List<Connection> held = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                Connection c = pool.getConnection();
                held.add(c);
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA mmap_size")) {
                    rs.next();
                    sizes.add(rs.getLong(1));
                }
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        assertThat(sizes).hasSize(pool.getMaximumPoolSize());
        return sizes;
    }
}
