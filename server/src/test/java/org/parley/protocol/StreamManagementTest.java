package org.parley.protocol;

import org.parley.feature.offline.SqlOfflineStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.protocol.ImClients.bare;
import static org.parley.protocol.ImClients.messages;
import static org.parley.protocol.ImClients.next;
import static org.parley.protocol.ImClients.none;
import static org.parley.protocol.ImClients.presencesFromJid;

import java.util.concurrent.BlockingQueue;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ServerExtension;

/** XEP-0198 as Smack 4.4.8, which enables it whenever it is offered, lives it: a phone that loses its network. */
class StreamManagementTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();
    static final ImClients im = new ImClients(server);

    private static void chat(XMPPTCPConnection from, String to, String body) throws Exception {
        from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(bare(to)).ofType(Message.Type.chat)
                .setBody(body).build());
    }

    @Test
    void smackEnablesResumableStreamManagement() throws Exception {
        im.users("en_alice");
        XMPPTCPConnection alice = im.online("en_alice", "a");
        try {
            assertThat(alice.isSmEnabled()).isTrue();
            assertThat(alice.isSmResumptionPossible()).isTrue();
            assertThat(alice.getMaxSmResumptionTime()).isEqualTo(300);
        } finally {
            ImClients.closeAll(alice);
        }
    }

    @Test
    void aPhoneThatDropsResumesAndGetsExactlyWhatItMissedWhileContactsStillSeeItOnline() throws Exception {
        im.contacts("ph_alice", "ph_bob");
        XMPPTCPConnection bob = im.online("ph_bob", "b");
        BlockingQueue<Presence> aliceAtBob = presencesFromJid(bob, "ph_alice@localhost/phone");
        XMPPTCPConnection alice = im.online("ph_alice", "phone");
        BlockingQueue<Message> atAlice = messages(alice);
        try {
            assertThat(next(aliceAtBob).isAvailable()).isTrue();
            chat(bob, "ph_alice", "before");
            assertThat(next(atAlice).getBody()).isEqualTo("before");

            alice.instantShutdown(); // the socket is gone, no </stream:stream>
            chat(bob, "ph_alice", "missed 1");
            chat(bob, "ph_alice", "missed 2");
            none(aliceAtBob); // detached, not gone: no unavailable presence

            alice.connect().login();
            assertThat(alice.streamWasResumed()).isTrue();
            assertThat(next(atAlice).getBody()).isEqualTo("missed 1");
            assertThat(next(atAlice).getBody()).isEqualTo("missed 2");
            chat(bob, "ph_alice", "after");
            assertThat(next(atAlice).getBody()).as("nothing twice").isEqualTo("after");
            none(aliceAtBob);

            BlockingQueue<Message> atBob = messages(bob);
            chat(alice, "ph_bob", "from the resumed stream");
            assertThat(next(atBob).getBody()).isEqualTo("from the resumed stream");
        } finally {
            ImClients.closeAll(alice, bob);
        }
    }

    @Test
    void whenTheWindowClosesTheSessionEndsAndWhatItMissedWaitsOffline() throws Exception {
        im.contacts("to_alice", "to_bob");
        XMPPTCPConnection bob = im.online("to_bob", "b");
        BlockingQueue<Presence> aliceAtBob = presencesFromJid(bob, "to_alice@localhost/phone");
        XMPPTCPConnection alice = im.login("to_alice", "phone", true, true, c -> c.setPreferredResumptionTime(1));
        BlockingQueue<Message> atAlice = messages(alice);
        try {
            assertThat(next(aliceAtBob).isAvailable()).isTrue();
            assertThat(alice.getMaxSmResumptionTime()).isEqualTo(1);
            alice.instantShutdown();
            chat(bob, "to_alice", "while you were away");
            // §5: the window of one second passes, the session ends like any other.
            assertThat(next(aliceAtBob).getType()).isEqualTo(Presence.Type.unavailable);
            ImClients.eventually("the message is stored offline",
                    () -> new SqlOfflineStore(server.database()).count("to_alice") == 1);

            alice.connect().login();
            assertThat(alice.streamWasResumed()).isFalse();
            Message m = next(atAlice);
            assertThat(m.getBody()).isEqualTo("while you were away");
            assertThat(DelayInformation.from(m)).as("an offline message").isNotNull();
            none(atAlice);
        } finally {
            ImClients.closeAll(alice, bob);
        }
    }
}
