package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smackx.carbons.CarbonManager;
import org.jivesoftware.smackx.carbons.packet.Carbon;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.mam.element.MamElements;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.MessageInbox;
import org.parley.testing.ServerExtension;

/** XEP-0280 Message Carbons: what the user's other devices see of a conversation. */
class CarbonsTest {
    private static final Duration QUIET = Duration.ofMillis(400);

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    private static MessageInbox device(String user, String resource, boolean carbons) throws Exception {
        MessageInbox inbox = server.inbox(user, resource);
        if (carbons) {
            CarbonManager.getInstanceFor(inbox.connection()).enableCarbons();
        }
        return inbox;
    }

    private static Message chat(MessageInbox from, String to, String body) throws Exception {
        return from.connection().getStanzaFactory().buildMessageStanza()
                .to(MessageInbox.jid(to)).ofType(Message.Type.chat).setBody(body).build();
    }

    private static void assertNothing(MessageInbox inbox) throws Exception {
        Message m = inbox.poll(QUIET);
        assertThat(m).as("no further message").isNull();
    }

    @Test
    void serverAdvertisesCarbons() throws Exception {
        try (MessageInbox alice = server.inbox("disco-alice", "phone")) {
            assertThat(CarbonManager.getInstanceFor(alice.connection()).isSupportedByServer()).isTrue();
        }
    }

    @Test
    void sentMessageIsCopiedToTheOtherEnabledDeviceNotToTheSender() throws Exception {
        try (MessageInbox phone = device("s-alice", "phone", true);
             MessageInbox laptop = device("s-alice", "laptop", true);
             MessageInbox bob = device("s-bob", "desk", false)) {
            phone.sendChat("s-bob@localhost/desk", "hello from the phone");

            Message original = bob.next();
            assertThat(original.getBody()).isEqualTo("hello from the phone");
            assertThat(CarbonExtension.from(original)).isNull();

            Message copy = laptop.next();
            assertThat(copy.getFrom().toString()).isEqualTo("s-alice@localhost");
            assertThat(copy.getTo().toString()).isEqualTo("s-alice@localhost/laptop");
            assertThat(copy.getType()).isEqualTo(Message.Type.chat);
            CarbonExtension carbon = CarbonExtension.from(copy);
            assertThat(carbon.getDirection()).isEqualTo(CarbonExtension.Direction.sent);
            Message forwarded = carbon.getForwarded().getForwardedStanza();
            assertThat(forwarded.getBody()).isEqualTo("hello from the phone");
            assertThat(forwarded.getFrom().toString()).isEqualTo("s-alice@localhost/phone");
            assertThat(forwarded.getTo().toString()).isEqualTo("s-bob@localhost/desk");

            assertNothing(phone);
        }
    }

    @Test
    void messageToOneDeviceIsCopiedToTheOtherEnabledDevice() throws Exception {
        try (MessageInbox phone = device("r-alice", "phone", true);
             MessageInbox laptop = device("r-alice", "laptop", true);
             MessageInbox bob = device("r-bob", "desk", false)) {
            bob.sendChat("r-alice@localhost/phone", "for your phone");

            Message original = phone.next();
            assertThat(original.getBody()).isEqualTo("for your phone");
            assertThat(CarbonExtension.from(original)).isNull();

            CarbonExtension carbon = CarbonExtension.from(laptop.next());
            assertThat(carbon.getDirection()).isEqualTo(CarbonExtension.Direction.received);
            Message forwarded = carbon.getForwarded().getForwardedStanza();
            assertThat(forwarded.getBody()).isEqualTo("for your phone");
            assertThat(forwarded.getFrom().toString()).isEqualTo("r-bob@localhost/desk");
            assertThat(forwarded.getTo().toString()).isEqualTo("r-alice@localhost/phone");

            assertNothing(phone);
            assertNothing(laptop);
        }
    }

    @Test
    void messageToTheBareJidReachesEveryDeviceOnceWithoutCopies() throws Exception {
        try (MessageInbox phone = device("b-alice", "phone", true);
             MessageInbox laptop = device("b-alice", "laptop", true);
             MessageInbox bob = device("b-bob", "desk", false)) {
            bob.sendChat("b-alice@localhost", "for all of you");
            for (MessageInbox device : new MessageInbox[] {phone, laptop}) {
                Message m = device.next();
                assertThat(m.getBody()).isEqualTo("for all of you");
                assertThat(CarbonExtension.from(m)).isNull();
                assertNothing(device);
            }
        }
    }

    @Test
    void deviceThatDisabledOrNeverEnabledCarbonsGetsNoCopies() throws Exception {
        try (MessageInbox phone = device("d-alice", "phone", false);
             MessageInbox laptop = device("d-alice", "laptop", true);
             MessageInbox tablet = device("d-alice", "tablet", false);
             MessageInbox bob = device("d-bob", "desk", false)) {
            CarbonManager.getInstanceFor(laptop.connection()).disableCarbons();

            phone.sendChat("d-bob@localhost/desk", "sent while the others do not listen");
            bob.sendChat("d-alice@localhost/phone", "received while the others do not listen");
            assertThat(bob.next().getBody()).isEqualTo("sent while the others do not listen");
            assertThat(phone.next().getBody()).isEqualTo("received while the others do not listen");

            assertNothing(laptop);
            assertNothing(tablet);
        }
    }

    @Test
    void privateMessagesAreNotCopiedAndArriveWithoutTheMarker() throws Exception {
        try (MessageInbox phone = device("p-alice", "phone", true);
             MessageInbox laptop = device("p-alice", "laptop", true);
             MessageInbox bob = device("p-bob", "desk", true);
             MessageInbox bobPhone = device("p-bob", "phone", true)) {
            Message secret = chat(phone, "p-bob@localhost/desk", "off the record");
            CarbonManager.disableCarbons(secret);
            phone.connection().sendStanza(secret);

            Message received = bob.next();
            assertThat(received.getBody()).isEqualTo("off the record");
            assertThat(received.hasExtension("private", CarbonExtension.NAMESPACE)).isFalse();
            assertNothing(laptop);
            assertNothing(bobPhone);
        }
    }

    @Test
    void noCopyHintHeadlinesAndNormalMessagesWithoutBodyAreNotCopied() throws Exception {
        try (MessageInbox phone = device("n-alice", "phone", true);
             MessageInbox laptop = device("n-alice", "laptop", true);
             MessageInbox bob = device("n-bob", "desk", false)) {
            Message hinted = chat(phone, "n-bob@localhost/desk", "hinted");
            hinted.addExtension(new StandardExtensionElement("no-copy", "urn:xmpp:hints"));
            phone.connection().sendStanza(hinted);
            phone.connection().sendStanza(phone.connection().getStanzaFactory().buildMessageStanza()
                    .to(MessageInbox.jid("n-bob@localhost/desk")).ofType(Message.Type.headline).setBody("news").build());
            phone.connection().sendStanza(phone.connection().getStanzaFactory().buildMessageStanza()
                    .to(MessageInbox.jid("n-bob@localhost/desk")).ofType(Message.Type.normal)
                    .addExtension(new StandardExtensionElement("active", "http://jabber.org/protocol/chatstates"))
                    .build());
            phone.connection().sendStanza(phone.connection().getStanzaFactory().buildMessageStanza()
                    .to(MessageInbox.jid("n-bob@localhost/desk")).ofType(Message.Type.normal).setBody("normal with body")
                    .build());

            for (int i = 0; i < 4; i++) {
                bob.next();
            }
            // Only the last one is eligible (XEP-0280 §5: normal messages with a body).
            CarbonExtension carbon = CarbonExtension.from(laptop.next());
            assertThat(carbon.getForwarded().getForwardedStanza().getBody()).isEqualTo("normal with body");
            assertNothing(laptop);
        }
    }

    private static List<StanzaIdElement> stanzaIds(Message m) {
        return m.getExtensions(StanzaIdElement.class);
    }

    private static List<String> archiveIds(MessageInbox inbox) throws Exception {
        MamManager.MamQuery q = MamManager.getInstanceFor(inbox.connection())
                .queryArchive(MamManager.MamQueryArgs.builder().build());
        return q.getMamResultExtensions().stream().map(MamElements.MamResultExtension::getId).toList();
    }

    /**
     * XEP-0313 §3.5: a received carbon carries, inside the forwarded message, the stanza-id the
     * archive gave the message, the same the resource that got the original sees and MAM
     * returns; clients match the three to show the message once.
     */
    @Test
    void aReceivedCarbonCarriesTheArchivesStanzaId() throws Exception {
        try (MessageInbox phone = device("id-alice", "phone", true);
             MessageInbox laptop = device("id-alice", "laptop", true);
             MessageInbox bob = device("id-bob", "desk", false)) {
            bob.sendChat("id-alice@localhost/phone", "with an id");

            List<StanzaIdElement> onOriginal = stanzaIds(phone.next());
            assertThat(onOriginal).hasSize(1);
            assertThat(onOriginal.get(0).getBy()).isEqualTo("id-alice@localhost");

            CarbonExtension carbon = CarbonExtension.from(laptop.next());
            assertThat(carbon.getDirection()).isEqualTo(CarbonExtension.Direction.received);
            List<StanzaIdElement> onCopy = stanzaIds(carbon.getForwarded().getForwardedStanza());
            assertThat(onCopy).hasSize(1);
            assertThat(onCopy.get(0).getBy()).isEqualTo("id-alice@localhost");
            assertThat(onCopy.get(0).getId()).isEqualTo(onOriginal.get(0).getId());

            assertThat(archiveIds(laptop)).containsExactly(onOriginal.get(0).getId());
        }
    }

    /**
     * XEP-0313 §3.5 for the sender: the sent carbon carries the sender's own archive id, while
     * the recipient sees only theirs (the sender's is not for them).
     */
    @Test
    void aSentCarbonCarriesTheSendersArchiveIdAndTheRecipientOnlyTheirs() throws Exception {
        try (MessageInbox phone = device("sid-alice", "phone", true);
             MessageInbox laptop = device("sid-alice", "laptop", true);
             MessageInbox bob = device("sid-bob", "desk", false)) {
            phone.sendChat("sid-bob@localhost/desk", "sent with an id");

            List<StanzaIdElement> bobs = stanzaIds(bob.next());
            assertThat(bobs).extracting(StanzaIdElement::getBy).containsExactly("sid-bob@localhost");

            CarbonExtension carbon = CarbonExtension.from(laptop.next());
            assertThat(carbon.getDirection()).isEqualTo(CarbonExtension.Direction.sent);
            List<StanzaIdElement> onCopy = stanzaIds(carbon.getForwarded().getForwardedStanza());
            assertThat(onCopy).extracting(StanzaIdElement::getBy).containsExactly("sid-alice@localhost");

            // One archived row serves both ends, so both archives know it by one id.
            assertThat(archiveIds(laptop)).containsExactly(onCopy.get(0).getId());
            assertThat(archiveIds(bob)).containsExactly(bobs.get(0).getId());
        }
    }

    @Test
    void enablingTwiceIsFineButNotForSomeoneElse() throws Exception {
        try (MessageInbox alice = device("e-alice", "phone", true);
             MessageInbox bob = device("e-bob", "desk", false)) {
            CarbonManager.getInstanceFor(alice.connection()).enableCarbons();
            Carbon.Enable enable = new Carbon.Enable();
            enable.setTo(MessageInbox.jid("e-bob@localhost"));
            XMPPErrorException e = org.assertj.core.api.Assertions.catchThrowableOfType(XMPPErrorException.class,
                    () -> alice.connection().sendIqRequestAndWaitForResponse(enable));
            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.not_allowed);
            Carbon.Enable toServer = new Carbon.Enable();
            toServer.setTo(MessageInbox.jid("localhost"));
            assertThat(alice.connection().sendIqRequestAndWaitForResponse(toServer).getType())
                    .isEqualTo(IQ.Type.result);
        }
    }
}
