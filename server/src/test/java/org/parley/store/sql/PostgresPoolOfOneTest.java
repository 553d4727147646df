package org.parley.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.Clients;
import org.parley.testing.MessageInbox;
import org.parley.testing.PostgresDatabase;
import org.parley.testing.TestServer;

/**
 * {@code database.poolSize: 1} on PostgreSQL, the README's minimum: the server starts, migrates
 * (the core's schema and every feature's) and serves. Flyway used to take its connections from
 * the pool and holds two at once on PostgreSQL, so a pool of one failed at startup.
 */
class PostgresPoolOfOneTest {
    @TempDir
    Path dir;

    private PostgresDatabase db;
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aPoolOfOneConnectionStartsAndServes() throws Exception {
        db = PostgresDatabase.create("poolofone");
        server = TestServer.start(dir, Map.of(
                "PARLEY_DATABASE_URL", db.url(),
                "PARLEY_DATABASE_POOL_SIZE", "1"));
        server.createUser("ada", "ada-pw");
        server.createUser("ben", "ben-pw");
        Clients clients = new Clients(server);
        try (MessageInbox ada = MessageInbox.login(clients, "ada", "ada-pw", "desk")) {
            ada.sendChat("ben@localhost", "stored with one connection");
            ada.sync();
        }
        try (MessageInbox ben = MessageInbox.login(clients, "ben", "ben-pw", "phone")) {
            assertThat(ben.next().getBody()).isEqualTo("stored with one connection");
        }
    }
}
