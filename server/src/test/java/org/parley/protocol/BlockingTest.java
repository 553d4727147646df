package org.parley.protocol;

import org.parley.feature.blocking.SqlBlockingStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.parley.protocol.ImClients.closeAll;
import static org.parley.protocol.ImClients.rawIq;
import static org.parley.protocol.ImClients.next;
import static org.parley.protocol.ImClients.none;
import static org.parley.protocol.ImClients.presencesFrom;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.blocking.BlockingCommandManager;
import org.jivesoftware.smackx.blocking.element.BlockedErrorExtension;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.Jid;
import org.parley.testing.MessageInbox;
import org.parley.testing.ServerExtension;

/** XEP-0191 Blocking Command: the list, its pushes, and blocking in both directions. */
class BlockingTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of("PARLEY_BLOCKING_MAX_ITEMS", "3"));
    static final ImClients im = new ImClients(server);

    private static Jid jid(String s) {
        return MessageInbox.jid(s);
    }

    private static BlockingCommandManager blocking(XMPPTCPConnection c) {
        return BlockingCommandManager.getInstanceFor(c);
    }

    private static StanzaError.Condition errorOf(XMPPTCPConnection c, IQ request) {
        XMPPErrorException e = catchThrowableOfType(XMPPErrorException.class,
                () -> c.sendIqRequestAndWaitForResponse(request));
        assertThat(e).as("an error reply").isNotNull();
        return e.getStanzaError().getCondition();
    }

    @Test
    void serverAdvertisesBlocking() throws Exception {
        try (MessageInbox alice = server.inbox("disco-alice", "r")) {
            assertThat(blocking(alice.connection()).isSupportedByServer()).isTrue();
        }
    }

    @Test
    void blockUnblockAndUnblockAllChangeTheStoredList() throws Exception {
        server.account("list-alice");
        try (MessageInbox first = server.inbox("list-alice", "one")) {
            assertThat(blocking(first.connection()).getBlockList()).isEmpty();
            blocking(first.connection()).blockContacts(List.of(jid("x@localhost"), jid("y@example.org/home")));
        }
        try (MessageInbox second = server.inbox("list-alice", "two")) {
            assertThat(blocking(second.connection()).getBlockList())
                    .containsExactlyInAnyOrder(jid("x@localhost"), jid("y@example.org/home"));
            blocking(second.connection()).unblockContacts(List.of(jid("x@localhost")));
        }
        try (MessageInbox third = server.inbox("list-alice", "three")) {
            assertThat(blocking(third.connection()).getBlockList()).containsExactly(jid("y@example.org/home"));
            blocking(third.connection()).unblockAll();
        }
        assertThat(new SqlBlockingStore(server.database()).blocked("list-alice")).isEmpty();
    }

    @Test
    void changesArePushedToTheResourcesThatRequestedTheList() throws Exception {
        try (MessageInbox a = server.inbox("push-alice", "a");
             MessageInbox b = server.inbox("push-alice", "b");
             MessageInbox c = server.inbox("push-alice", "c")) {
            blocking(b.connection()).getBlockList();
            BlockingQueue<List<Jid>> atB = new LinkedBlockingQueue<>();
            BlockingQueue<List<Jid>> atC = new LinkedBlockingQueue<>();
            blocking(b.connection()).addJidsBlockedListener(atB::add);
            blocking(b.connection()).addJidsUnblockedListener(atB::add);
            blocking(b.connection()).addAllJidsUnblockedListener(() -> atB.add(List.of()));
            blocking(c.connection()).addJidsBlockedListener(atC::add); // never asked for the list

            blocking(a.connection()).blockContacts(List.of(jid("spam@localhost")));
            assertThat(next(atB)).containsExactly(jid("spam@localhost"));
            assertThat(blocking(b.connection()).getBlockList()).containsExactly(jid("spam@localhost"));

            blocking(a.connection()).unblockContacts(List.of(jid("spam@localhost")));
            assertThat(next(atB)).containsExactly(jid("spam@localhost"));
            blocking(a.connection()).blockContacts(List.of(jid("spam@localhost")));
            next(atB);
            blocking(a.connection()).unblockAll();
            assertThat(next(atB)).isEmpty();
            assertThat(blocking(b.connection()).getBlockList()).isEmpty();
            none(atC);
        }
    }

    @Test
    void blockedContactsStanzasBounceAsIfTheUserWereOffline() throws Exception {
        try (MessageInbox alice = server.inbox("in-alice", "phone");
             MessageInbox mallory = server.inbox("in-mallory", "r")) {
            blocking(alice.connection()).blockContacts(List.of(jid("in-mallory@localhost")));

            mallory.sendChat("in-alice@localhost/phone", "let me in");
            Message bounce = mallory.next();
            assertThat(bounce.getType()).isEqualTo(Message.Type.error);
            assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
            mallory.sendChat("in-alice@localhost", "to the bare JID");
            assertThat(mallory.next().getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);

            Version version = new Version();
            version.setTo(jid("in-alice@localhost/phone"));
            assertThat(errorOf(mallory.connection(), version)).isEqualTo(StanzaError.Condition.service_unavailable);

            assertThat(alice.poll(java.time.Duration.ofMillis(400))).isNull();
        }
    }

    @Test
    void messagesToABlockedJidAreRefusedWithTheBlockedCondition() throws Exception {
        try (MessageInbox alice = server.inbox("out-alice", "phone");
             MessageInbox bob = server.inbox("out-bob", "r")) {
            blocking(alice.connection()).blockContacts(List.of(jid("out-bob@localhost")));

            alice.sendChat("out-bob@localhost/r", "you will not read this");
            Message error = alice.next();
            assertThat(error.getType()).isEqualTo(Message.Type.error);
            assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.not_acceptable);
            assertThat(BlockedErrorExtension.isInside(error)).isTrue();
            assertThat(bob.poll(java.time.Duration.ofMillis(400))).isNull();

            blocking(alice.connection()).unblockContacts(List.of(jid("out-bob@localhost")));
            alice.sendChat("out-bob@localhost/r", "now you will");
            assertThat(bob.next().getBody()).isEqualTo("now you will");
        }
    }

    @Test
    void blockedSubscriberSeesTheUserGoOfflineAndBackOnUnblock() throws Exception {
        im.contacts("pr-alice", "pr-bob");
        XMPPTCPConnection bob = im.online("pr-bob", "r");
        XMPPTCPConnection alice = null;
        try {
            BlockingQueue<Presence> atBob = presencesFrom(bob, "pr-alice");
            BlockingQueue<Presence> atAlice = new LinkedBlockingQueue<>();
            alice = im.login("pr-alice", "phone", true, true, ImClients.collecting("pr-bob", atAlice));
            assertThat(next(atBob).getType()).isEqualTo(Presence.Type.available);
            next(atAlice); // bob's presence, answering alice's probe

            blocking(alice).blockContacts(List.of(jid("pr-bob@localhost")));
            Presence gone = next(atBob);
            assertThat(gone.getType()).isEqualTo(Presence.Type.unavailable);
            assertThat(gone.getFrom().toString()).isEqualTo("pr-alice@localhost/phone");

            // Neither side's presence crosses the block now.
            alice.sendStanza(alice.getStanzaFactory().buildPresenceStanza().setMode(Presence.Mode.away).build());
            bob.sendStanza(bob.getStanzaFactory().buildPresenceStanza().setMode(Presence.Mode.dnd).build());
            none(atBob);
            none(atAlice);

            blocking(alice).unblockContacts(List.of(jid("pr-bob@localhost")));
            Presence back = next(atBob);
            assertThat(back.getType()).isEqualTo(Presence.Type.available);
            assertThat(back.getMode()).isEqualTo(Presence.Mode.away);
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void badRequestsGetTheRightErrors() throws Exception {
        try (MessageInbox alice = server.inbox("err-alice", "r")) {
            XMPPTCPConnection c = alice.connection();
            String ns = BlockingCommandManager.NAMESPACE;
            assertThat(errorOf(c, rawIq(IQ.Type.set, "block", ns, ""))).isEqualTo(StanzaError.Condition.bad_request);
            assertThat(errorOf(c, rawIq(IQ.Type.set, "block", ns, "<item jid='a@b@c'/>")))
                    .isEqualTo(StanzaError.Condition.jid_malformed);
            assertThat(errorOf(c, rawIq(IQ.Type.set, "block", ns, "<item/>")))
                    .isEqualTo(StanzaError.Condition.bad_request);
            IQ othersList = rawIq(IQ.Type.get, "blocklist", ns, "");
            othersList.setTo(jid("err-bob@localhost"));
            server.account("err-bob");
            assertThat(errorOf(c, othersList)).isEqualTo(StanzaError.Condition.forbidden);

            // blocking.maxItems is 3 here: a fourth JID is refused and nothing of that request is kept.
            blocking(c).blockContacts(List.of(jid("a@localhost"), jid("b@localhost")));
            XMPPErrorException full = catchThrowableOfType(XMPPErrorException.class,
                    () -> blocking(c).blockContacts(List.of(jid("c@localhost"), jid("d@localhost"))));
            assertThat(full.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.policy_violation);
            assertThat(new SqlBlockingStore(server.database()).blocked("err-alice")).containsExactly("a@localhost", "b@localhost");
        }
    }
}
