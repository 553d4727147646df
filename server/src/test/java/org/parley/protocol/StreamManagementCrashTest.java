package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
 * DESIGN principle 1 with XEP-0198: once the server acknowledged a stanza with {@code <a h/>}, a
 * SIGKILL of the server the next moment loses nothing.
 */
class StreamManagementCrashTest {
    private static final int MESSAGES = 60;

    @TempDir
    Path dir;

    @Test
    void aServerKilledRightAfterItsAckKeepsEveryAcknowledgedMessage() throws Exception {
        try (TestServer setup = TestServer.start(dir)) {
            setup.createUser("kill_alice", "kill_alice-pw");
            setup.createUser("kill_bob", "kill_bob-pw");
        }
        try (ChildServer child = ChildServer.start(dir, Map.of())) {
            XMPPTCPConnection alice = child.clients().login("kill_alice", "kill_alice-pw", "a");
            assertThat(alice.isSmEnabled()).isTrue();
            CountDownLatch acked = new CountDownLatch(1);
            // kill_bob is offline: every message goes to the offline store, so each ack waits for a commit.
            for (int i = 1; i <= MESSAGES; i++) {
                Message m = alice.getStanzaFactory().buildMessageStanza()
                        .to(JidCreate.from("kill_bob@localhost")).ofType(Message.Type.chat)
                        .setBody("message " + i).build();
                if (i == MESSAGES) {
                    alice.addStanzaIdAcknowledgedListener(m.getStanzaId(), s -> acked.countDown());
                }
                alice.sendStanza(m);
            }
            assertThat(acked.await(15, TimeUnit.SECONDS)).as("the server acknowledged the last message").isTrue();
            child.kill();
            alice.instantShutdown();
        }
        try (TestServer again = TestServer.start(dir);
             MessageInbox bob = MessageInbox.login(new Clients(again), "kill_bob", "kill_bob-pw", "b")) {
            for (int i = 1; i <= MESSAGES; i++) {
                assertThat(bob.next().getBody()).isEqualTo("message " + i);
            }
        }
    }
}
