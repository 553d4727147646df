package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.testing.RawStreamClient.stanzaErrorCondition;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.Clients;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.TestServer;
import org.parley.xml.Element;

/**
 * A database that runs out of space (SQLite's {@code max_page_count} makes a real SQLITE_FULL
 * without filling the machine's disk): a message that cannot be stored bounces with
 * {@code resource-constraint} (RFC 6120 §8.3.3.18, type wait), and every message the server
 * acknowledged with XEP-0198 before that is kept.
 */
class DiskFullTest {
    private static final String SM = "urn:xmpp:sm:3";

    @TempDir
    Path dir;

    @Test
    void aMessageThatCannotBeStoredBouncesWithResourceConstraintAndNothingAcknowledgedIsLost() throws Exception {
        try (TestServer setup = TestServer.start(dir)) {
            setup.createUser("full_alice", "full_alice-pw");
            setup.createUser("full_bob", "full_bob-pw");
        }
        Path db = dir.resolve("parley.db");
        long pages = pageCount(db);
        // The archive is off so that every page left goes to full_bob's offline messages.
        Map<String, String> full = Map.of("PARLEY_DATABASE_URL", "jdbc:sqlite:" + db + "?max_page_count=" + (pages + 8),
                "PARLEY_ARCHIVE_ENABLED", "false");
        int stored = 0;
        try (TestServer server = TestServer.start(dir, full);
             RawStreamClient alice = RawStreamClient.loggedIn(server, "full_alice", "full_alice-pw", "a")) {
            alice.send("<enable xmlns='" + SM + "'/>");
            alice.expect(e -> e.is("enabled", SM), "<enabled/>");
            String filler = "x".repeat(3000);
            String condition = null;
            for (int i = 0; i < 500 && condition == null; i++) {
                // full_bob is offline: each message goes to the offline store, and the ack comes after it.
                alice.send("<message to='full_bob@localhost' type='chat' id='m" + i + "'><body>" + i + " " + filler
                        + "</body></message><r xmlns='" + SM + "'/>");
                Element e = alice.expect(x -> x.is("a", SM) || "error".equals(x.attr("type")), "an ack or an error");
                if (e.is("a", SM)) {
                    assertThat(e.attr("h")).isEqualTo(Integer.toString(i + 1));
                    stored++;
                } else {
                    assertThat(e.attr("id")).isEqualTo("m" + i);
                    assertThat(e.element("error", "jabber:client").attr("type")).isEqualTo("wait");
                    condition = stanzaErrorCondition(e);
                    // The bounced message was handled too: the ack that follows counts it.
                    assertThat(alice.expect(x -> x.is("a", SM), "the ack").attr("h")).isEqualTo(Integer.toString(i + 1));
                }
            }
            assertThat(condition).as("a message bounced").isEqualTo("resource-constraint");
            assertThat(stored).as("messages stored before the database was full").isPositive();
        }
        try (TestServer again = TestServer.start(dir);
             MessageInbox bob = MessageInbox.login(new Clients(again), "full_bob", "full_bob-pw", "b")) {
            for (int i = 0; i < stored; i++) {
                assertThat(bob.next().getBody()).startsWith(i + " ");
            }
            assertThat(bob.poll(Duration.ofMillis(300))).as("the bounced message was not stored").isNull();
        }
    }

    private static long pageCount(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery("PRAGMA page_count")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
