package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.MessageInbox;
import org.parley.testing.ServerExtension;

/** Message delivery rules of RFC 6121 §8.5 and the error cases of RFC 6120 §8.3, as a client sees them. */
class MessageRoutingTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    @Test
    void messageToFullJidGoesToThatResourceOnly() throws Exception {
        try (MessageInbox alice = server.inbox("full-alice", "desk");
             MessageInbox phone = server.inbox("full-bob", "phone");
             MessageInbox laptop = server.inbox("full-bob", "laptop")) {
            alice.sendChat("full-bob@localhost/laptop", "for the laptop");
            alice.sendChat("full-bob@localhost/phone", "for the phone");

            Message atLaptop = laptop.next();
            assertThat(atLaptop.getBody()).isEqualTo("for the laptop");
            assertThat(atLaptop.getFrom().toString()).isEqualTo("full-alice@localhost/desk");
            assertThat(atLaptop.getTo().toString()).isEqualTo("full-bob@localhost/laptop");
            // Sent after the laptop's message, so had the phone got that one it would come first.
            assertThat(phone.next().getBody()).isEqualTo("for the phone");
        }
    }

    @Test
    void chatToBareJidGoesToEveryResourceOfNonNegativePriority() throws Exception {
        try (MessageInbox alice = server.inbox("bare-alice", "desk");
             MessageInbox phone = server.inbox("bare-bob", "phone");
             MessageInbox laptop = server.inbox("bare-bob", "laptop");
             MessageInbox away = server.inbox("bare-bob", "away")) {
            away.connection().sendStanza(away.connection().getStanzaFactory().buildPresenceStanza()
                    .ofType(Presence.Type.available).setPriority(-1).build());
            away.sync();
            alice.sendChat("bare-bob@localhost", "to all of bob");
            alice.sendChat("bare-bob@localhost/away", "to away only");

            assertThat(phone.next().getBody()).isEqualTo("to all of bob");
            assertThat(laptop.next().getBody()).isEqualTo("to all of bob");
            // RFC 6121 §8.5.2.1.1: a negative priority resource gets no messages sent to the bare JID.
            assertThat(away.next().getBody()).isEqualTo("to away only");
        }
    }

    @Test
    void messageToUnavailableResourceIsTreatedAsBareJid() throws Exception {
        try (MessageInbox alice = server.inbox("gone-alice", "desk");
             MessageInbox phone = server.inbox("gone-bob", "phone")) {
            alice.sendChat("gone-bob@localhost/laptop", "where are you");

            Message m = phone.next();
            assertThat(m.getBody()).isEqualTo("where are you");
            assertThat(m.getFrom().toString()).isEqualTo("gone-alice@localhost/desk");
            assertThat(alice.poll(Duration.ofMillis(200))).isNull();
        }
    }

    @Test
    void messageToUnknownUserBouncesWithServiceUnavailable() throws Exception {
        try (MessageInbox alice = server.inbox("nouser-alice", "desk")) {
            alice.sendChat("nobody@localhost", "anyone there?");

            Message error = alice.next();
            assertThat(error.getType()).isEqualTo(Message.Type.error);
            assertThat(error.getFrom().toString()).isEqualTo("nobody@localhost");
            assertThat(error.getBody()).isEqualTo("anyone there?");
            assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
        }
    }

    @Test
    void chatToServerDomainBouncesWithServiceUnavailable() throws Exception {
        try (MessageInbox alice = server.inbox("domain-alice", "desk")) {
            alice.sendChat("localhost", "hello server");

            Message error = alice.next();
            assertThat(error.getType()).isEqualTo(Message.Type.error);
            assertThat(error.getFrom().toString()).isEqualTo("localhost");
            assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
        }
    }

    @Test
    void messageToDomainNotServedBouncesWithRemoteServerNotFound() throws Exception {
        try (MessageInbox alice = server.inbox("remote-alice", "desk")) {
            alice.sendChat("bob@elsewhere.example", "hello far away");

            Message error = alice.next();
            assertThat(error.getType()).isEqualTo(Message.Type.error);
            assertThat(error.getFrom().toString()).isEqualTo("bob@elsewhere.example");
            assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.remote_server_not_found);
        }
    }

    @Test
    void messageToOwnBareJidGoesToOwnAvailableResources() throws Exception {
        try (MessageInbox desk = server.inbox("self-alice", "desk");
             MessageInbox phone = server.inbox("self-alice", "phone")) {
            desk.sendChat("self-alice@localhost", "note to self");

            for (MessageInbox resource : new MessageInbox[] {desk, phone}) {
                Message m = resource.next();
                assertThat(m.getBody()).isEqualTo("note to self");
                assertThat(m.getType()).isEqualTo(Message.Type.chat);
                assertThat(m.getFrom().toString()).isEqualTo("self-alice@localhost/desk");
            }
        }
    }

    @Test
    void messageWithoutToGoesToOwnBareJid() throws Exception {
        try (MessageInbox desk = server.inbox("noto-alice", "desk");
             MessageInbox phone = server.inbox("noto-alice", "phone")) {
            // RFC 6120 §10.3.1: no 'to' means the sender's own bare JID.
            desk.connection().sendStanza(desk.connection().getStanzaFactory().buildMessageStanza()
                    .ofType(Message.Type.chat).setBody("no address").build());

            Message m = phone.next();
            assertThat(m.getBody()).isEqualTo("no address");
            assertThat(m.getFrom().toString()).isEqualTo("noto-alice@localhost/desk");
            assertThat(desk.next().getBody()).isEqualTo("no address");
        }
    }

    @Test
    void errorMessagesAreNeverAnsweredWithErrors() throws Exception {
        try (MessageInbox alice = server.inbox("err-alice", "desk")) {
            // RFC 6120 §8.3.1: an entity must not answer an error with an error.
            alice.send("nobody@localhost", Message.Type.error, "error to no user");
            alice.send("localhost", Message.Type.error, "error to the server");
            alice.send("bob@elsewhere.example", Message.Type.error, "error to another domain");
            alice.send("err-alice@localhost/gone", Message.Type.error, "error to a gone resource");
            alice.sendChat("nobody@localhost", "marker");

            Message first = alice.next();
            assertThat(first.getBody()).isEqualTo("marker");
            assertThat(first.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
        }
    }

    @Test
    void headlineToOfflineUserIsDroppedNotStored() throws Exception {
        server.account("headline-bob");
        try (MessageInbox alice = server.inbox("headline-alice", "desk")) {
            alice.send("headline-bob@localhost", Message.Type.headline, "breaking news");
            alice.send("headline-bob@localhost", Message.Type.normal, "stored marker");
            alice.sync();
            // RFC 6121 §8.5.2.1.1: no error either.
            assertThat(alice.poll(Duration.ofMillis(200))).isNull();
        }
        try (MessageInbox bob = server.inbox("headline-bob", "phone")) {
            Message m = bob.next();
            assertThat(m.getBody()).isEqualTo("stored marker");
            assertThat(bob.poll(Duration.ofMillis(200))).isNull();
        }
    }

    /**
     * RFC 6121 §8.5.3.2.1: a normal message to a resource that is gone is never given to another
     * resource: while the user has one available, the sender gets service-unavailable (so does a
     * message of an unknown type, §5.2.2), and a headline is dropped.
     */
    @Test
    void normalMessageToAResourceThatIsGoneIsAnErrorNotAnotherResourcesMessage() throws Exception {
        try (MessageInbox alice = server.inbox("normal-alice", "desk");
             MessageInbox phone = server.inbox("normal-bob", "phone")) {
            alice.send("normal-bob@localhost/laptop", Message.Type.normal, "for the laptop only");
            alice.send("normal-bob@localhost/laptop", Message.Type.headline, "laptop news");
            alice.send("normal-bob@localhost/phone", Message.Type.chat, "marker");

            Message error = alice.next();
            assertThat(error.getType()).isEqualTo(Message.Type.error);
            assertThat(error.getFrom().toString()).isEqualTo("normal-bob@localhost/laptop");
            assertThat(error.getBody()).isEqualTo("for the laptop only");
            assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
            // the phone got neither the normal message nor the headline: the marker, sent last, comes first
            assertThat(phone.next().getBody()).isEqualTo("marker");
            alice.sync();
            assertThat(alice.poll(Duration.ofMillis(100))).as("no error for the headline").isNull();
        }
    }

    /** §8.5.3.2.1 with no resource available at all: the normal message is stored offline (XEP-0160). */
    @Test
    void normalMessageToAResourceOfAnOfflineUserIsStoredOffline() throws Exception {
        server.account("normal-offline-bob");
        try (MessageInbox alice = server.inbox("normal-offline-alice", "desk")) {
            alice.send("normal-offline-bob@localhost/laptop", Message.Type.normal, "when you are back");
            alice.sync();
            assertThat(alice.poll(Duration.ofMillis(100))).as("no error: it is stored").isNull();
        }
        try (MessageInbox bob = server.inbox("normal-offline-bob", "phone")) {
            assertThat(bob.next().getBody()).isEqualTo("when you are back");
        }
    }
}
