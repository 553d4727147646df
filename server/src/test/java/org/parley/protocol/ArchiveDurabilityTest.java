package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.ChildServer;
import org.parley.testing.Clients;
import org.parley.testing.MessageInbox;
import org.parley.testing.TestServer;

/**
 * The archive never drops a row. Rows wait up to archive.writeDelay to share a group commit;
 * a graceful stop writes them all before the store closes, and a message the server has
 * acknowledged with XEP-0198 is in the archive even after SIGKILL the moment after.
 */
class ArchiveDurabilityTest {
    @TempDir
    Path dir;

    @Test
    void aGracefulStopWritesEveryQueuedRow() throws Exception {
        int messages = 300;
        // A long delay keeps every row queued until the stop.
        TestServer server = TestServer.start(dir, Map.of("PARLEY_ARCHIVE_WRITE_DELAY", "10s"));
        try {
            server.createUser("stop_alice", "stop_alice-pw");
            server.createUser("stop_bob", "stop_bob-pw");
            Clients clients = new Clients(server);
            try (MessageInbox alice = MessageInbox.login(clients, "stop_alice", "stop_alice-pw", "a");
                 MessageInbox bob = MessageInbox.login(clients, "stop_bob", "stop_bob-pw", "b")) {
                for (int i = 0; i < messages; i++) {
                    alice.sendChat("stop_bob@localhost", "burst " + i);
                }
                for (int i = 0; i < messages; i++) {
                    assertThat(bob.next().getBody()).isEqualTo("burst " + i);
                }
                server.close();
            }
        } finally {
            server.close();
        }
        assertThat(archived("sender", "stop_alice")).isEqualTo(messages);
        assertThat(archived("recipient", "stop_bob")).isEqualTo(messages);
    }

    @Test
    void aMessageAcknowledgedWithStreamManagementIsInTheArchiveAfterKill9() throws Exception {
        int messages = 40;
        try (TestServer setup = TestServer.start(dir)) {
            setup.createUser("ack_alice", "ack_alice-pw");
            setup.createUser("ack_bob", "ack_bob-pw");
        }
        // Rows may wait 3 s for their group commit; the acknowledgement waits for the commit.
        try (ChildServer child = ChildServer.start(dir, Map.of("PARLEY_ARCHIVE_WRITE_DELAY", "3s"))) {
            XMPPTCPConnection bob = child.clients().login("ack_bob", "ack_bob-pw", "b");
            XMPPTCPConnection alice = child.clients().login("ack_alice", "ack_alice-pw", "a");
            assertThat(alice.isSmEnabled()).isTrue();
            CountDownLatch acked = new CountDownLatch(1);
            for (int i = 1; i <= messages; i++) {
                // ack_bob is online: nothing goes to offline storage, only the archive writes.
                Message m = alice.getStanzaFactory().buildMessageStanza()
                        .to(JidCreate.from("ack_bob@localhost/b")).ofType(Message.Type.chat)
                        .setBody("kept " + i).build();
                if (i == messages) {
                    alice.addStanzaIdAcknowledgedListener(m.getStanzaId(), s -> acked.countDown());
                }
                alice.sendStanza(m);
            }
            assertThat(acked.await(20, TimeUnit.SECONDS)).as("the server acknowledged the last message").isTrue();
            child.kill();
            alice.instantShutdown();
            bob.instantShutdown();
        }
        assertThat(archived("sender", "ack_alice")).isEqualTo(messages);
        assertThat(archived("recipient", "ack_bob")).isEqualTo(messages);
    }

    /** Rows of the archive table (one per message, kept for its sender and its recipient). */
    private long archived(String side, String user) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("parley.db"));
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM archive WHERE " + side + " = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
