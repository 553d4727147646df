package org.parley.protocol;

import org.parley.feature.last.SqlLastActivityStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.parley.protocol.ImClients.bare;
import static org.parley.protocol.ImClients.closeAll;

import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqlast.LastActivityManager;
import org.jivesoftware.smackx.iqlast.packet.LastActivity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.store.Subscription;
import org.parley.testing.ServerExtension;

/** XEP-0012 Last Activity as the server answers it for users and for itself. */
class LastActivityTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();
    static final ImClients im = new ImClients(server);

    private static LastActivity ask(XMPPTCPConnection asker, String user) throws Exception {
        return LastActivityManager.getInstanceFor(asker).getLastActivity(bare(user));
    }

    private static StanzaError.Condition refusal(XMPPTCPConnection asker, String user) {
        XMPPErrorException e = catchThrowableOfType(XMPPErrorException.class, () -> ask(asker, user));
        assertThat(e).as("an error reply").isNotNull();
        return e.getStanzaError().getCondition();
    }

    @Test
    void serverAnswersWithItsUptime() throws Exception {
        im.users("up");
        XMPPTCPConnection c = im.online("up", "r");
        try {
            LastActivityManager last = LastActivityManager.getInstanceFor(c);
            assertThat(last.isLastActivitySupported(JidCreate.domainBareFrom("localhost"))).isTrue();
            long uptime = last.getLastActivity(JidCreate.domainBareFrom("localhost")).getIdleTime();
            assertThat(uptime).isBetween(0L, 600L);
        } finally {
            closeAll(c);
        }
    }

    @Test
    void subscribedContactLearnsWhenTheUserLeftAndWithWhatStatus() throws Exception {
        im.contacts("gone-alice", "gone-bob");
        XMPPTCPConnection alice = im.online("gone-alice", "phone");
        XMPPTCPConnection bob = im.online("gone-bob", "desk");
        try {
            assertThat(ask(bob, "gone-alice").getIdleTime()).as("online: 0").isZero();

            alice.disconnect(alice.getStanzaFactory().buildPresenceStanza()
                    .ofType(Presence.Type.unavailable).setStatus("Heading Home").build());
            ImClients.eventually("alice's logout recorded",
                    () -> new SqlLastActivityStore(server.database()).get("gone-alice").isPresent());
            Thread.sleep(1100);
            LastActivity answer = ask(bob, "gone-alice");
            assertThat(answer.getIdleTime()).isBetween(1L, 10L);
            assertThat(answer.getStatusMessage()).isEqualTo("Heading Home");
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void anyAvailableResourceMeansZero() throws Exception {
        im.contacts("two-alice", "two-bob");
        XMPPTCPConnection phone = im.online("two-alice", "phone");
        XMPPTCPConnection laptop = im.online("two-alice", "laptop");
        XMPPTCPConnection bob = im.online("two-bob", "desk");
        try {
            java.util.concurrent.BlockingQueue<Presence> fromPhone =
                    ImClients.presencesFromJid(bob, "two-alice@localhost/phone");
            phone.disconnect();
            // Bob hears the phone leave once the server has ended its session.
            ImClients.eventually("the phone's session ended", () -> fromPhone.stream()
                    .anyMatch(p -> p.getType() == Presence.Type.unavailable));
            assertThat(ask(bob, "two-alice").getIdleTime()).isZero();
            assertThat(new SqlLastActivityStore(server.database()).get("two-alice")).isEmpty();
        } finally {
            closeAll(laptop, bob);
        }
    }

    @Test
    void onlyTheUserAndSubscribersMayAsk() throws Exception {
        im.users("priv-alice", "priv-eve", "priv-pending");
        im.relate("priv-alice", "priv-pending", Subscription.TO); // alice sees them, not the reverse
        XMPPTCPConnection alice = im.online("priv-alice", "phone");
        XMPPTCPConnection eve = im.online("priv-eve", "r");
        XMPPTCPConnection pending = im.online("priv-pending", "r");
        try {
            assertThat(refusal(eve, "priv-alice")).isEqualTo(StanzaError.Condition.forbidden);
            assertThat(refusal(pending, "priv-alice")).isEqualTo(StanzaError.Condition.forbidden);
            assertThat(ask(alice, "priv-alice").getIdleTime()).isZero();
        } finally {
            closeAll(alice, eve, pending);
        }
    }

    @Test
    void aSessionThatWasNeverAvailableRecordsNoLogout() throws Exception {
        im.contacts("quiet-alice", "quiet-bob");
        XMPPTCPConnection bob = im.online("quiet-bob", "desk");
        try {
            // Bound, never available (as a login that fails or is dropped before its presence), then gone.
            org.parley.testing.RawStreamClient alice = server.bound("quiet-alice", "tool");
            alice.close();
            ImClients.eventually("alice's session ended", () -> server.get().server().directory()
                    .sessions(org.parley.xmpp.Jid.of("quiet-alice@localhost")).isEmpty());
            Thread.sleep(500); // the listeners run once the session left the directory: a logout was written by now
            assertThat(new SqlLastActivityStore(server.database()).get("quiet-alice")).as("no logout written").isEmpty();
            assertThat(refusal(bob, "quiet-alice")).isEqualTo(StanzaError.Condition.item_not_found);
        } finally {
            closeAll(bob);
        }
    }

    @Test
    void userWhoNeverLoggedOutHasNoLastActivity() throws Exception {
        im.contacts("never-alice", "never-bob");
        XMPPTCPConnection bob = im.online("never-bob", "desk");
        try {
            assertThat(refusal(bob, "never-alice")).isEqualTo(StanzaError.Condition.item_not_found);
        } finally {
            closeAll(bob);
        }
    }
}
