package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.protocol.ImClients.bare;
import static org.parley.protocol.ImClients.next;
import static org.parley.protocol.ImClients.none;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.chatstates.ChatState;
import org.jivesoftware.smackx.chatstates.packet.ChatStateExtension;
import org.jivesoftware.smackx.csi.ClientStateIndicationManager;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ServerExtension;

/** XEP-0352: an inactive client is spared presence churn and typing notifications, never real messages. */
class ClientStateIndicationTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of("PARLEY_CSI_MAX_HELD", "5"));
    static final ImClients im = new ImClients(server);

    /**
     * Presences and messages from {@code user}'s resource "b", in arrival order (not the answer
     * to a probe made before that user logged in, which comes from the bare JID).
     */
    private static BlockingQueue<Stanza> from(XMPPTCPConnection c, String user) {
        BlockingQueue<Stanza> q = new LinkedBlockingQueue<>();
        c.addSyncStanzaListener(q::add, s -> (s instanceof Presence || s instanceof Message)
                && s.getFrom() != null && s.getFrom().toString().equals(user + "@localhost/b"));
        return q;
    }

    /** Inactive, and processed: the server handles a stream's input in order, so a ping round trip settles it. */
    private static void inactive(XMPPTCPConnection c) throws Exception {
        ClientStateIndicationManager.inactive(c);
        assertThat(PingManager.getInstanceFor(c).pingMyServer(true, 5000)).isTrue();
    }

    private static void status(XMPPTCPConnection c, String status) throws Exception {
        c.sendStanza(c.getStanzaFactory().buildPresenceStanza().setStatus(status).build());
    }

    private static void typing(XMPPTCPConnection from, String to) throws Exception {
        from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(bare(to)).ofType(Message.Type.chat)
                .addExtension(new ChatStateExtension(ChatState.composing)).build());
    }

    private static void chat(XMPPTCPConnection from, String to, String body) throws Exception {
        from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(bare(to)).ofType(Message.Type.chat)
                .setBody(body).build());
    }

    private static String statusOf(Stanza s) {
        assertThat(s).isInstanceOf(Presence.class);
        return ((Presence) s).getStatus();
    }

    @Test
    void whileInactivePresenceAndChatStatesWaitAndAMessageBringsThemInOrder() throws Exception {
        im.contacts("h_alice", "h_bob");
        XMPPTCPConnection alice = im.online("h_alice", "a");
        BlockingQueue<Stanza> atAlice = from(alice, "h_bob");
        XMPPTCPConnection bob = im.online("h_bob", "b");
        try {
            assertThat(statusOf(next(atAlice))).as("bob's initial presence").isNull();
            assertThat(ClientStateIndicationManager.isSupported(alice)).isTrue();
            inactive(alice);
            status(bob, "one");
            status(bob, "two");
            typing(bob, "h_alice");
            status(bob, "three");
            none(atAlice);

            chat(bob, "h_alice", "urgent");
            // The held stanzas first, the latest presence only, then the message.
            assertThat(next(atAlice)).isInstanceOf(Message.class)
                    .satisfies(m -> assertThat(((Message) m).getBody()).isNull());
            assertThat(statusOf(next(atAlice))).isEqualTo("three");
            assertThat(((Message) next(atAlice)).getBody()).isEqualTo("urgent");
            none(atAlice);

            status(bob, "four");
            none(atAlice);
            ClientStateIndicationManager.active(alice);
            assertThat(statusOf(next(atAlice))).isEqualTo("four");
            status(bob, "five");
            assertThat(statusOf(next(atAlice))).as("active again: at once").isEqualTo("five");
        } finally {
            ImClients.closeAll(alice, bob);
        }
    }

    @Test
    void reachingTheLimitFlushesWhatIsHeld() throws Exception {
        im.users("l_alice", "l_bob");
        XMPPTCPConnection alice = im.online("l_alice", "a");
        XMPPTCPConnection bob = im.online("l_bob", "b");
        try {
            BlockingQueue<Stanza> atAlice = from(alice, "l_bob");
            inactive(alice);
            for (int i = 0; i < 4; i++) {
                typing(bob, "l_alice");
            }
            none(atAlice);
            typing(bob, "l_alice"); // the fifth reaches csi.maxHeld = 5
            for (int i = 0; i < 5; i++) {
                assertThat(next(atAlice)).isInstanceOf(Message.class);
            }
        } finally {
            ImClients.closeAll(alice, bob);
        }
    }
}
