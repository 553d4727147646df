package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.protocol.ImClients.bare;
import static org.parley.protocol.ImClients.closeAll;
import static org.parley.protocol.ImClients.collecting;
import static org.parley.protocol.ImClients.messages;
import static org.parley.protocol.ImClients.next;
import static org.parley.protocol.ImClients.none;
import static org.parley.protocol.ImClients.presencesFrom;
import static org.parley.protocol.ImClients.presencesFromJid;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.Subscription;
import org.parley.testing.ServerExtension;

/** RFC 6121 §4 presence exchange and §8.5.2 priority, between users who already share subscriptions. */
class PresenceTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();
    static final ImClients im = new ImClients(server);

    /** Connected, roster fetched, no initial presence yet. */
    private static XMPPTCPConnection connected(String user, String resource) throws Exception {
        return im.login(user, resource, true, false);
    }

    private static void available(XMPPTCPConnection c, String status, Presence.Mode mode, int priority)
            throws Exception {
        c.sendStanza(c.getStanzaFactory().buildPresenceStanza()
                .setStatus(status).setMode(mode).setPriority(priority).build());
    }

    private static void assertAvailable(Presence p, String from, String status) {
        assertThat(p.getType()).isEqualTo(Presence.Type.available);
        assertThat(p.getFrom().toString()).isEqualTo(from);
        assertThat(p.getStatus()).isEqualTo(status);
    }

    private static void assertUnavailable(Presence p, String from) {
        assertThat(p.getType()).isEqualTo(Presence.Type.unavailable);
        assertThat(p.getFrom().toString()).isEqualTo(from);
    }

    @Test
    void initialPresenceIsBroadcastToSubscribersOnly() throws Exception {
        im.users("i_alice", "i_bob", "i_carol");
        im.mutual("i_alice", "i_bob");
        im.relate("i_carol", "i_alice", Subscription.FROM); // carol lets alice see her; not the reverse
        im.relate("i_alice", "i_carol", Subscription.TO);
        XMPPTCPConnection bob = im.online("i_bob", "b");
        XMPPTCPConnection carol = im.online("i_carol", "c");
        XMPPTCPConnection alice = connected("i_alice", "a");
        try {
            BlockingQueue<Presence> atBob = presencesFrom(bob, "i_alice");
            BlockingQueue<Presence> atCarol = presencesFrom(carol, "i_alice");

            available(alice, "hello", Presence.Mode.away, 1);

            Presence p = next(atBob);
            assertAvailable(p, "i_alice@localhost/a", "hello");
            assertThat(p.getMode()).isEqualTo(Presence.Mode.away);
            assertThat(p.getPriority()).isEqualTo(1);
            none(atCarol);
        } finally {
            closeAll(alice, bob, carol);
        }
    }

    @Test
    void contactLoggingInLearnsThePresenceOfAvailableContacts() throws Exception {
        im.users("l_alice", "l_bob", "l_carol");
        im.mutual("l_alice", "l_bob");
        im.mutual("l_carol", "l_bob");
        XMPPTCPConnection alice = connected("l_alice", "a");
        XMPPTCPConnection bob = null;
        try {
            available(alice, "at work", Presence.Mode.available, 0);
            BlockingQueue<Presence> fromAlice = new LinkedBlockingQueue<>();
            BlockingQueue<Presence> fromCarol = new LinkedBlockingQueue<>();
            bob = im.login("l_bob", "b", true, true,
                    collecting("l_alice", fromAlice).andThen(collecting("l_carol", fromCarol)));

            // §4.2.2/§4.3.2: bob's server probes his contacts; alice's answer is her last presence.
            assertAvailable(next(fromAlice), "l_alice@localhost/a", "at work");
            // carol is offline: at most an unavailable answer, never an available one.
            Thread.sleep(300);
            assertThat(fromCarol).allMatch(p -> p.getType() == Presence.Type.unavailable);
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void presenceUpdateReachesContacts() throws Exception {
        im.contacts("s_alice", "s_bob");
        XMPPTCPConnection bob = im.online("s_bob", "b");
        BlockingQueue<Presence> atBob = presencesFromJid(bob, "s_alice@localhost/a");
        XMPPTCPConnection alice = im.online("s_alice", "a");
        try {
            assertAvailable(next(atBob), "s_alice@localhost/a", null);
            available(alice, "in a meeting", Presence.Mode.dnd, 5);
            Presence p = next(atBob);
            assertAvailable(p, "s_alice@localhost/a", "in a meeting");
            assertThat(p.getMode()).isEqualTo(Presence.Mode.dnd);
            assertThat(p.getPriority()).isEqualTo(5);
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void cleanLogoutSendsUnavailableToContacts() throws Exception {
        im.contacts("o_alice", "o_bob");
        XMPPTCPConnection bob = im.online("o_bob", "b");
        BlockingQueue<Presence> atBob = presencesFromJid(bob, "o_alice@localhost/a");
        XMPPTCPConnection alice = im.online("o_alice", "a");
        try {
            assertAvailable(next(atBob), "o_alice@localhost/a", null);
            alice.disconnect();
            assertUnavailable(next(atBob), "o_alice@localhost/a");
            none(atBob);
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void lostConnectionSendsUnavailableToContacts() throws Exception {
        im.contacts("k_alice", "k_bob");
        XMPPTCPConnection bob = im.online("k_bob", "b");
        BlockingQueue<Presence> atBob = presencesFromJid(bob, "k_alice@localhost/a");
        // Without stream management: with it, a lost connection leaves the session waiting for a resumption.
        XMPPTCPConnection alice = im.login("k_alice", "a", true, true, c -> c.setUseStreamManagement(false));
        try {
            assertAvailable(next(atBob), "k_alice@localhost/a", null);
            // §4.5.1: the socket goes away without unavailable presence or </stream:stream>.
            alice.instantShutdown();
            assertUnavailable(next(atBob), "k_alice@localhost/a");
            none(atBob);

            // The server goes on serving the contact.
            BlockingQueue<Message> atBobMessages = messages(bob);
            XMPPTCPConnection again = im.online("k_alice", "a2");
            try {
                again.sendStanza(again.getStanzaFactory().buildMessageStanza()
                        .to(bare("k_bob")).ofType(Message.Type.chat).setBody("back").build());
                assertThat(next(atBobMessages).getBody()).isEqualTo("back");
            } finally {
                closeAll(again);
            }
        } finally {
            closeAll(bob);
        }
    }

    @Test
    void directedPresenceIsFollowedByUnavailableWhenTheSenderLeaves() throws Exception {
        im.users("d_alice", "d_dave", "d_erin");
        XMPPTCPConnection alice = im.online("d_alice", "a");
        XMPPTCPConnection dave = im.online("d_dave", "d");
        XMPPTCPConnection erin = im.online("d_erin", "e");
        try {
            BlockingQueue<Presence> atDave = presencesFrom(dave, "d_alice");
            BlockingQueue<Presence> atErin = presencesFrom(erin, "d_alice");
            // No subscription either way: §4.6 directed presence.
            alice.sendStanza(alice.getStanzaFactory().buildPresenceStanza()
                    .to(bare("d_dave")).setStatus("just for you").build());
            assertAvailable(next(atDave), "d_alice@localhost/a", "just for you");

            alice.disconnect();
            // §4.6.3: the server sends unavailable to every entity that got directed presence.
            assertUnavailable(next(atDave), "d_alice@localhost/a");
            none(atErin);
        } finally {
            closeAll(alice, dave, erin);
        }
    }

    @Test
    void directedPresenceIsFollowedByUnavailableWhenTheConnectionIsLost() throws Exception {
        im.users("e_alice", "e_dave");
        XMPPTCPConnection alice = im.login("e_alice", "a", true, true, c -> c.setUseStreamManagement(false));
        XMPPTCPConnection dave = im.online("e_dave", "d");
        try {
            BlockingQueue<Presence> atDave = presencesFrom(dave, "e_alice");
            alice.sendStanza(alice.getStanzaFactory().buildPresenceStanza().to(bare("e_dave")).build());
            assertThat(next(atDave).getType()).isEqualTo(Presence.Type.available);
            alice.instantShutdown();
            assertUnavailable(next(atDave), "e_alice@localhost/a");
        } finally {
            closeAll(dave);
        }
    }

    @Test
    void resourcesOfOneUserSeeEachOthersPresence() throws Exception {
        im.users("r_alice");
        XMPPTCPConnection one = im.online("r_alice", "one");
        XMPPTCPConnection two = null;
        try {
            BlockingQueue<Presence> atOne = presencesFrom(one, "r_alice");
            BlockingQueue<Presence> atTwo = new LinkedBlockingQueue<>();
            two = im.login("r_alice", "two", true, false, collecting("r_alice", atTwo));
            available(two, "second", Presence.Mode.available, 0);

            // §4.2.2: the new resource gets the presence of the user's other available resources...
            Presence seenByTwo = next(atTwo);
            while (!seenByTwo.getFrom().toString().equals("r_alice@localhost/one")) {
                seenByTwo = next(atTwo); // its own broadcast also comes back to it
            }
            assertThat(seenByTwo.isAvailable()).isTrue();
            // ...and they get the new resource's presence.
            Presence seenByOne = next(atOne);
            while (seenByOne.getFrom().toString().equals("r_alice@localhost/one")) {
                seenByOne = next(atOne);
            }
            assertAvailable(seenByOne, "r_alice@localhost/two", "second");

            two.disconnect();
            Presence gone = next(atOne);
            assertUnavailable(gone, "r_alice@localhost/two");
        } finally {
            closeAll(one, two);
        }
    }

    @Test
    void messageToBareJidSkipsResourcesWithNegativePriority() throws Exception {
        im.users("y_alice", "y_bob");
        XMPPTCPConnection low = connected("y_bob", "low");
        XMPPTCPConnection high = connected("y_bob", "high");
        XMPPTCPConnection alice = im.online("y_alice", "a");
        try {
            // Listening before sending: the echo may arrive before the next line runs.
            BlockingQueue<Presence> seen = presencesFrom(high, "y_bob");
            available(low, "hidden", Presence.Mode.available, -1);
            available(high, "here", Presence.Mode.available, 0);
            BlockingQueue<Message> atLow = messages(low);
            BlockingQueue<Message> atHigh = messages(high);
            // Wait until both presences are processed: high sees its own and low's.
            next(seen);
            next(seen);

            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza()
                    .to(bare("y_bob")).ofType(Message.Type.chat).setBody("to the bare JID").build());
            // RFC 6121 §8.5.2.1.1: never to a resource of negative priority.
            assertThat(next(atHigh).getBody()).isEqualTo("to the bare JID");
            none(atLow);

            // A message to the full JID still reaches it (§8.5.3.1).
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza()
                    .to(low.getUser()).ofType(Message.Type.chat).setBody("direct").build());
            assertThat(next(atLow).getBody()).isEqualTo("direct");

            // With only a negative-priority resource left, a bare-JID message is not delivered to it.
            high.disconnect();
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza()
                    .to(bare("y_bob")).ofType(Message.Type.chat).setBody("nobody home").build());
            none(atLow);
        } finally {
            closeAll(low, high, alice);
        }
    }
}
