package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.chatstates.ChatState;
import org.jivesoftware.smackx.chatstates.packet.ChatStateExtension;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.Clients;
import org.parley.testing.MessageInbox;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;

/**
 * Offline storage (XEP-0160): messages for a user with no available resource are kept and
 * delivered at the next initial presence, stamped with XEP-0203 delay.
 */
class OfflineMessagesTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    private static MessageInbox login(TestServer on, String user, String resource) throws Exception {
        if (!on.server().stores().accounts().exists(user)) {
            on.createUser(user, user + "-pw");
        }
        return MessageInbox.login(new Clients(on), user, user + "-pw", resource);
    }


    @Test
    void storedMessagesArriveInOrderWithDelayStampAtInitialPresence() throws Exception {
        server.account("order-bob");
        Instant before = Instant.now().minusSeconds(1);
        try (MessageInbox alice = server.inbox("order-alice", "desk")) {
            for (int i = 1; i <= 20; i++) {
                alice.sendChat("order-bob@localhost", "message " + i);
            }
            alice.sync();
            assertThat(alice.poll(Duration.ofMillis(100))).as("no error for stored messages").isNull();
        }
        try (MessageInbox bob = server.inbox("order-bob", "phone")) {
            for (int i = 1; i <= 20; i++) {
                Message m = bob.next();
                assertThat(m.getBody()).isEqualTo("message " + i);
                assertThat(m.getType()).isEqualTo(Message.Type.chat);
                assertThat(m.getFrom().toString()).isEqualTo("order-alice@localhost/desk");
                assertThat(m.getTo().toString()).isEqualTo("order-bob@localhost/phone");
                DelayInformation delay = DelayInformation.from(m);
                assertThat(delay).as("XEP-0203 delay on message %d", i).isNotNull();
                assertThat(delay.getFrom()).isEqualTo("localhost");
                assertThat(delay.getStamp().toInstant()).isBetween(before, Instant.now());
            }
            assertThat(bob.poll(Duration.ofMillis(200))).isNull();
        }
    }

    @Test
    void messageToFullJidOfOfflineUserIsStored() throws Exception {
        server.account("full-bob");
        try (MessageInbox alice = server.inbox("full-alice", "desk")) {
            alice.send("full-bob@localhost/laptop", Message.Type.normal, "to the laptop that is off");
            alice.sync();
        }
        try (MessageInbox bob = server.inbox("full-bob", "phone")) {
            Message m = bob.next();
            assertThat(m.getBody()).isEqualTo("to the laptop that is off");
            assertThat(DelayInformation.from(m)).isNotNull();
        }
    }

    @Test
    void chatStateOnlyMessagesAreNotStored() throws Exception {
        server.account("states-bob");
        try (MessageInbox alice = server.inbox("states-alice", "desk")) {
            alice.connection().sendStanza(alice.connection().getStanzaFactory().buildMessageStanza()
                    .to(MessageInbox.jid("states-bob@localhost")).ofType(Message.Type.chat)
                    .addExtension(new ChatStateExtension(ChatState.composing)).build());
            alice.connection().sendStanza(alice.connection().getStanzaFactory().buildMessageStanza()
                    .to(MessageInbox.jid("states-bob@localhost")).ofType(Message.Type.chat).setThread("t-1")
                    .addExtension(new ChatStateExtension(ChatState.paused)).build());
            alice.sendChat("states-bob@localhost", "the real message");
            alice.sync();
        }
        try (MessageInbox bob = server.inbox("states-bob", "phone")) {
            Message m = bob.next();
            assertThat(m.getBody()).isEqualTo("the real message");
            assertThat(bob.poll(Duration.ofMillis(200))).isNull();
        }
    }

    @Test
    void messageWithNoStoreHintIsNotStored() throws Exception {
        server.account("nostore-bob");
        try (MessageInbox alice = server.inbox("nostore-alice", "desk")) {
            // XEP-0334 §4: the sender asks that this message not be stored.
            alice.connection().sendStanza(alice.connection().getStanzaFactory().buildMessageStanza()
                    .to(MessageInbox.jid("nostore-bob@localhost")).ofType(Message.Type.chat).setBody("ephemeral")
                    .addExtension(StandardExtensionElement.builder("no-store", "urn:xmpp:hints").build()).build());
            alice.sendChat("nostore-bob@localhost", "keep this one");
            alice.sync();
            assertThat(alice.poll(Duration.ofMillis(100))).isNull();
        }
        try (MessageInbox bob = server.inbox("nostore-bob", "phone")) {
            assertThat(bob.next().getBody()).isEqualTo("keep this one");
            assertThat(bob.poll(Duration.ofMillis(200))).isNull();
        }
    }

    @Test
    void storedMessagesAreDeliveredOnlyOnce() throws Exception {
        server.account("once-bob");
        try (MessageInbox alice = server.inbox("once-alice", "desk")) {
            alice.sendChat("once-bob@localhost", "only once");
            alice.sync();
            try (MessageInbox bob = server.inbox("once-bob", "phone")) {
                assertThat(bob.next().getBody()).isEqualTo("only once");
            }
            try (MessageInbox bob = server.inbox("once-bob", "phone")) {
                // The login has been fully handled (MessageInbox.login syncs), so a stored copy would come first.
                alice.sendChat("once-bob@localhost", "live");
                Message m = bob.next();
                assertThat(m.getBody()).isEqualTo("live");
                assertThat(DelayInformation.from(m)).isNull();
            }
        }
    }

    @Test
    void messagesSentWhileTheRecipientComesOnlineAreNotLeftBehind() throws Exception {
        server.account("race-bob");
        try (MessageInbox alice = server.inbox("race-alice", "desk")) {
            java.util.Set<String> earlier = new java.util.HashSet<>();
            for (int round = 0; round < 5; round++) {
                int count = 40;
                String prefix = "round " + round + " message ";
                Thread sender = Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < count; i++) {
                            alice.sendChat("race-bob@localhost", prefix + i);
                            Thread.sleep(1);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                try (MessageInbox bob = server.inbox("race-bob", "phone")) {
                    sender.join();
                    alice.sync();
                    // Stored or live, every message reaches the one available resource.
                    java.util.Set<String> bodies = new java.util.HashSet<>();
                    while (bodies.size() < count) {
                        String body = bob.next().getBody();
                        if (!body.startsWith(prefix)) {
                            // XEP-0198 §3: one the last phone read but closed without acknowledging
                            // comes again; it must be one that phone had.
                            assertThat(earlier).as("a redelivery, not a stray").contains(body);
                            continue;
                        }
                        bodies.add(body);
                    }
                    assertThat(bodies).hasSize(count).allMatch(b -> b.startsWith(prefix));
                    earlier.addAll(bodies);
                }
            }
        }
    }

    @Test
    void perUserCapStoresUpToTheLimitAndRefusesTheRest(@TempDir Path capDir) throws Exception {
        try (TestServer capped = TestServer.start(capDir, Map.of("PARLEY_OFFLINE_MAX_PER_USER", "3"))) {
            capped.createUser("cap-bob", "cap-bob-pw");
            try (MessageInbox alice = login(capped, "cap-alice", "desk")) {
                for (int i = 1; i <= 4; i++) {
                    alice.sendChat("cap-bob@localhost", "message " + i);
                }
                Message error = alice.next();
                assertThat(error.getType()).isEqualTo(Message.Type.error);
                assertThat(error.getBody()).isEqualTo("message 4");
                assertThat(error.getFrom().toString()).isEqualTo("cap-bob@localhost");
                assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
                assertThat(error.getError().getDescriptiveText()).isEqualTo("the recipient's offline storage is full");
                assertThat(alice.poll(Duration.ofMillis(100))).isNull();
            }
            try (MessageInbox bob = login(capped, "cap-bob", "phone")) {
                for (int i = 1; i <= 3; i++) {
                    assertThat(bob.next().getBody()).isEqualTo("message " + i);
                }
                assertThat(bob.poll(Duration.ofMillis(200))).isNull();
            }
        }
    }

    @Test
    void storedMessagesSurviveRestart(@TempDir Path restartDir) throws Exception {
        try (TestServer first = TestServer.start(restartDir)) {
            first.createUser("restart-bob", "restart-bob-pw");
            try (MessageInbox alice = login(first, "restart-alice", "desk")) {
                alice.sendChat("restart-bob@localhost", "before the restart 1");
                alice.sendChat("restart-bob@localhost", "before the restart 2");
                alice.sync();
            }
        }
        try (TestServer second = TestServer.start(restartDir);
             MessageInbox bob = login(second, "restart-bob", "phone")) {
            assertThat(bob.next().getBody()).isEqualTo("before the restart 1");
            assertThat(bob.next().getBody()).isEqualTo("before the restart 2");
        }
    }
}
