package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.protocol.Mucs.configured;
import static org.parley.protocol.Mucs.instant;
import static org.parley.protocol.Mucs.muc;
import static org.parley.protocol.Mucs.nick;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.ServerExtension;

/** XEP-0045 §7.8: mediated invitations through the room, declines back to the inviter, members-only rules. */
class MucInvitationsTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    @Test
    void anInvitationComesFromTheRoomAndADeclineGoesBackToTheInviter() throws Exception {
        XMPPTCPConnection alice = server.login("invite-alice");
        XMPPTCPConnection bob = server.login("invite-bob");
        try {
            BlockingQueue<MUCUser.Invite> invites = new LinkedBlockingQueue<>();
            BlockingQueue<String> rooms = new LinkedBlockingQueue<>();
            MultiUserChatManager.getInstanceFor(bob).addInvitationListener((c, room, inviter, reason, pw, m, inv) -> {
                rooms.add(room.getRoom().toString());
                invites.add(inv);
            });
            MultiUserChat a = instant(alice, "party", "Alice");
            BlockingQueue<String> declines = new LinkedBlockingQueue<>();
            a.addInvitationRejectionListener((invitee, reason, m, d) -> declines.add(invitee + ": " + reason));

            a.invite(JidCreate.entityBareFrom("invite-bob@localhost"), "come along");
            MUCUser.Invite got = invites.poll(5, TimeUnit.SECONDS);
            assertThat(got).as("the invitation").isNotNull();
            assertThat(rooms.take()).isEqualTo("party@conference.localhost");
            assertThat(got.getFrom().toString()).isEqualTo("invite-alice@localhost/test");
            assertThat(got.getReason()).isEqualTo("come along");

            MultiUserChatManager.getInstanceFor(bob).decline(Mucs.room("party"),
                    JidCreate.entityBareFrom("invite-alice@localhost"), "busy");
            assertThat(declines.poll(5, TimeUnit.SECONDS)).isEqualTo("invite-bob@localhost: busy");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void inAMembersOnlyRoomOnlyAdminsInviteAndTheInviteeBecomesAMember() throws Exception {
        XMPPTCPConnection alice = server.login("club-alice");
        XMPPTCPConnection bob = server.login("club-bob");
        XMPPTCPConnection carol = server.login("club-carol");
        try {
            BlockingQueue<String> invited = new LinkedBlockingQueue<>();
            MultiUserChatManager.getInstanceFor(bob).addInvitationListener(
                    (c, room, inviter, reason, pw, m, inv) -> invited.add(room.getRoom().toString()));
            MultiUserChat a = configured(alice, "club", "Alice", Map.of("muc#roomconfig_membersonly", true));
            a.invite(JidCreate.entityBareFrom("club-bob@localhost"), "join us");
            // The room sends the invitation after making Bob a member: once it is here, Bob may enter.
            assertThat(invited.poll(5, TimeUnit.SECONDS)).isEqualTo("club@conference.localhost");
            MultiUserChat b = muc(bob, "club");
            b.join(nick("Bob"));

            MUCUser x = new MUCUser();
            x.setInvite(new MUCUser.Invite("please", JidCreate.entityBareFrom("club-carol@localhost")));
            Message invite = bob.getStanzaFactory().buildMessageStanza().to(Mucs.room("club")).addExtension(x).build();
            try (StanzaCollector errors = bob.createStanzaCollectorAndSend(MessageTypeFilter.ERROR, invite)) {
                Message e = errors.nextResult(5000);
                assertThat(e).as("a member may not invite").isNotNull();
                assertThat(e.getError().getCondition()).isEqualTo(StanzaError.Condition.forbidden);
            }
            assertThat(Mucs.joinError(muc(carol, "club"), "Carol", null))
                    .isEqualTo(StanzaError.Condition.registration_required);
        } finally {
            alice.disconnect();
            bob.disconnect();
            carol.disconnect();
        }
    }
}
