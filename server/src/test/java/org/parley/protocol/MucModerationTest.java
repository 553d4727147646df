package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.parley.protocol.ImClients.rawIq;
import static org.parley.protocol.Mucs.instant;
import static org.parley.protocol.Mucs.muc;
import static org.parley.protocol.Mucs.next;
import static org.parley.protocol.Mucs.nick;

import java.util.List;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.mam.MamManager.MamQueryArgs;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.jivesoftware.smackx.xdata.FormField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ServerExtension;

/** XEP-0425 moderated retraction (urn:xmpp:message-moderate:1 with XEP-0424), as Smack clients see it. */
class MucModerationTest {
    private static final String MODERATE = "urn:xmpp:message-moderate:1";
    private static final String RETRACT = "urn:xmpp:message-retract:1";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    private static IQ moderate(MultiUserChat room, String stanzaId) {
        return rawIq(IQ.Type.set, "moderate", MODERATE, room.getRoom(), " id='" + stanzaId + "'",
                "<retract xmlns='" + RETRACT + "'/><reason>spam</reason>");
    }

    private static StanzaError.Condition errorOf(XMPPConnection c, IQ request) {
        XMPPErrorException e = catchThrowableOfType(XMPPErrorException.class,
                () -> c.sendIqRequestAndWaitForResponse(request));
        assertThat(e).as("an error reply").isNotNull();
        return e.getStanzaError().getCondition();
    }

    /** The next message of the room that carries a retraction, failing after a few seconds. */
    private static StandardExtensionElement nextRetraction(MultiUserChat room) throws Exception {
        Message m = room.nextMessage(5000);
        while (m != null && m.getExtensionElement("retract", RETRACT) == null) {
            m = room.nextMessage(5000);
        }
        assertThat(m).as("a retraction in " + room.getRoom()).isNotNull();
        assertThat(m.getFrom().toString()).as("from the room itself").isEqualTo(room.getRoom().toString());
        return (StandardExtensionElement) m.getExtensionElement("retract", RETRACT);
    }

    @Test
    void aModeratorRetractsAMessageEveryoneIsToldAndTheArchiveKeepsATombstone() throws Exception {
        XMPPTCPConnection alice = server.login("mod-alice");
        XMPPTCPConnection bob = server.login("mod-bob");
        XMPPTCPConnection carol = server.login("mod-carol");
        try {
            MultiUserChat a = instant(alice, "moderated-room", "Alice");
            MultiUserChat b = muc(bob, "moderated-room");
            b.join(nick("Bob"));
            assertThat(ServiceDiscoveryManager.getInstanceFor(alice).discoverInfo(a.getRoom())
                    .containsFeature(MODERATE)).isTrue();
            b.sendMessage("buy cheap potions");
            Message spam = next(a);
            next(b);
            b.sendMessage("sorry");
            next(a);
            next(b);
            String id = StanzaIdElement.getStanzaId(spam).getId();

            alice.sendIqRequestAndWaitForResponse(moderate(a, id));
            for (MultiUserChat room : List.of(a, b)) {
                StandardExtensionElement retract = nextRetraction(room);
                assertThat(retract.getAttributeValue("id")).isEqualTo(id);
                assertThat(retract.getFirstElement("moderated", MODERATE).getAttributeValue("by"))
                        .isEqualTo("moderated-room@conference.localhost/Alice");
                assertThat(retract.getFirstElement("reason", RETRACT).getText()).isEqualTo("spam");
            }

            List<Message> archived = MamManager.getInstanceFor(b).queryArchive(MamQueryArgs.builder().build())
                    .getMessages();
            assertThat(archived).hasSize(3);
            Message tombstone = archived.get(0);
            assertThat(tombstone.getBody()).as("the content is gone").isNull();
            assertThat(tombstone.getFrom().toString()).isEqualTo("moderated-room@conference.localhost/Bob");
            StandardExtensionElement retracted = (StandardExtensionElement) tombstone.getExtensionElement("retracted", RETRACT);
            assertThat(retracted).as("a tombstone in its place").isNotNull();
            assertThat(retracted.getFirstElement("moderated", MODERATE).getAttributeValue("by"))
                    .isEqualTo("moderated-room@conference.localhost/Alice");
            assertThat(archived.get(1).getBody()).isEqualTo("sorry");
            assertThat(archived.get(2).getExtensionElement("retract", RETRACT)).as("the retraction is archived").isNotNull();
            assertThat(MamManager.getInstanceFor(b).queryArchive(MamQueryArgs.builder().withAdditionalFormField(
                    FormField.textSingleBuilder("{urn:xmpp:fulltext:0}fulltext").setValue("potions").build()).build())
                    .getMessages()).as("the retracted words are not found").isEmpty();

            MultiUserChat c = muc(carol, "moderated-room");
            c.join(nick("Carol"));
            assertThat(next(c).getBody()).as("a newcomer's history has no retracted text").isEqualTo("sorry");
        } finally {
            alice.disconnect();
            bob.disconnect();
            carol.disconnect();
        }
    }

    @Test
    void aParticipantMayNotModerateAndUnknownIdsAreNotFound() throws Exception {
        XMPPTCPConnection alice = server.login("nomod-alice");
        XMPPTCPConnection bob = server.login("nomod-bob");
        try {
            MultiUserChat a = instant(alice, "calm-room", "Alice");
            MultiUserChat b = muc(bob, "calm-room");
            b.join(nick("Bob"));
            a.sendMessage("my words stay");
            String id = StanzaIdElement.getStanzaId(next(b)).getId();
            assertThat(errorOf(bob, moderate(b, id))).isEqualTo(StanzaError.Condition.forbidden);
            assertThat(errorOf(alice, moderate(a, "12345"))).isEqualTo(StanzaError.Condition.item_not_found);
            assertThat(MamManager.getInstanceFor(a).queryArchive(MamQueryArgs.builder().build()).getMessages())
                    .extracting(Message::getBody).containsExactly("my words stay");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }
}
