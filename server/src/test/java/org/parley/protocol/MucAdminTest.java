package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.protocol.Mucs.configured;
import static org.parley.protocol.Mucs.instant;
import static org.parley.protocol.Mucs.joinError;
import static org.parley.protocol.Mucs.muc;
import static org.parley.protocol.Mucs.next;
import static org.parley.protocol.Mucs.nick;
import static org.parley.protocol.Mucs.refused;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.Affiliate;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.ServerExtension;

/** XEP-0045 §8-§10: roles and affiliations with their permission rules, and destroying a room. */
class MucAdminTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    private static org.jxmpp.jid.Jid jid(String s) {
        return JidCreate.fromOrThrowUnchecked(s);
    }

    /** Presences from the room for {@code muc}'s client, in order. */
    private static BlockingQueue<Presence> presences(MultiUserChat muc) {
        BlockingQueue<Presence> q = new LinkedBlockingQueue<>();
        muc.addParticipantListener(q::add);
        return q;
    }

    /** The next presence of {@code nick} of {@code type}, skipping others (e.g. joins still being delivered). */
    private static Presence from(BlockingQueue<Presence> q, String nick, Presence.Type type)
            throws InterruptedException {
        for (Presence p = q.poll(5, TimeUnit.SECONDS); p != null; p = q.poll(5, TimeUnit.SECONDS)) {
            if (p.getFrom().getResourceOrEmpty().toString().equals(nick) && p.getType() == type) {
                return p;
            }
        }
        throw new AssertionError("no presence of " + nick);
    }

    @Test
    void moderatorsKickAndGiveVoiceButNotToAdmins() throws Exception {
        XMPPTCPConnection alice = server.login("kick-alice");
        XMPPTCPConnection bob = server.login("kick-bob");
        XMPPTCPConnection carol = server.login("kick-carol");
        try {
            MultiUserChat a = configured(alice, "kick", "Alice", Map.of("muc#roomconfig_moderatedroom", true));
            MultiUserChat b = muc(bob, "kick");
            b.join(nick("Bob"));
            MultiUserChat c = muc(carol, "kick");
            BlockingQueue<Presence> seenByCarol = presences(c);
            c.join(nick("Carol"));
            BlockingQueue<Presence> seenByAlice = presences(a);

            a.grantVoice(nick("Bob"));
            Presence voiced = from(seenByCarol, "Bob", Presence.Type.available);
            assertThat(MUCUser.from(voiced).getItem().getRole().toString()).as("Bob first as a visitor")
                    .isEqualTo("visitor");
            voiced = from(seenByCarol, "Bob", Presence.Type.available);
            assertThat(MUCUser.from(voiced).getItem().getRole().toString()).isEqualTo("participant");
            b.sendMessage("I can speak");
            assertThat(next(c).getBody()).isEqualTo("I can speak");

            assertThat(refused(() -> b.kickParticipant(nick("Carol"), "no")))
                    .as("a participant is no moderator").isEqualTo(StanzaError.Condition.forbidden);
            a.grantModerator(nick("Bob"));
            assertThat(refused(() -> b.kickParticipant(nick("Alice"), "no")))
                    .as("an owner cannot be kicked").isEqualTo(StanzaError.Condition.not_allowed);
            b.kickParticipant(nick("Carol"), "bye");
            for (BlockingQueue<Presence> q : java.util.List.of(seenByCarol, seenByAlice)) {
                Presence kicked = from(q, "Carol", Presence.Type.unavailable);
                assertThat(MUCUser.from(kicked).getStatus()).contains(MUCUser.Status.KICKED_307);
            }
        } finally {
            alice.disconnect();
            bob.disconnect();
            carol.disconnect();
        }
    }

    @Test
    void bannedUsersAreRemovedAndKeptOutAndMembersEnterAMembersOnlyRoom() throws Exception {
        XMPPTCPConnection alice = server.login("ban-alice");
        XMPPTCPConnection bob = server.login("ban-bob");
        XMPPTCPConnection carol = server.login("ban-carol");
        try {
            MultiUserChat a = instant(alice, "ban", "Alice");
            MultiUserChat b = muc(bob, "ban");
            b.join(nick("Bob"));
            BlockingQueue<Presence> seenByAlice = presences(a);

            a.banUser(jid("ban-bob@localhost"), "spam");
            Presence banned = from(seenByAlice, "Bob", Presence.Type.unavailable);
            assertThat(banned.getType()).isEqualTo(Presence.Type.unavailable);
            assertThat(MUCUser.from(banned).getStatus()).contains(MUCUser.Status.BANNED_301);
            Mucs.settle(bob);
            assertThat(joinError(muc(bob, "ban"), "Bob", null)).isEqualTo(StanzaError.Condition.forbidden);
            assertThat(a.getOutcasts()).extracting(Affiliate::getJid).extracting(Object::toString)
                    .containsExactly("ban-bob@localhost");

            configured(alice, "club", "Alice", Map.of("muc#roomconfig_membersonly", true));
            MultiUserChat club = muc(alice, "club");
            club.grantMembership(jid("ban-carol@localhost"));
            muc(carol, "club").join(nick("Carol"));
            assertThat(club.getMembers()).extracting(Affiliate::getJid).extracting(Object::toString)
                    .containsExactly("ban-carol@localhost");
            BlockingQueue<Presence> seenInClub = presences(club);
            club.revokeMembership(jid("ban-carol@localhost"));
            Presence out = from(seenInClub, "Carol", Presence.Type.unavailable);
            assertThat(MUCUser.from(out).getStatus()).extracting(MUCUser.Status::getCode).contains(321);
        } finally {
            alice.disconnect();
            bob.disconnect();
            carol.disconnect();
        }
    }

    @Test
    void onlyOwnersMakeAdminsAndOwnersAndTheLastOwnerStays() throws Exception {
        XMPPTCPConnection alice = server.login("own-alice");
        XMPPTCPConnection bob = server.login("own-bob");
        try {
            MultiUserChat a = instant(alice, "own", "Alice");
            MultiUserChat b = muc(bob, "own");
            b.join(nick("Bob"));
            assertThat(refused(() -> b.grantMembership(jid("own-bob@localhost"))))
                    .isEqualTo(StanzaError.Condition.forbidden);

            a.grantAdmin(jid("own-bob@localhost"));
            assertThat(refused(() -> b.grantOwnership(jid("own-bob@localhost"))))
                    .isEqualTo(StanzaError.Condition.forbidden);
            assertThat(refused(() -> b.banUser(jid("own-alice@localhost"), "coup")))
                    .isEqualTo(StanzaError.Condition.not_allowed);
            assertThat(refused(() -> a.revokeOwnership(jid("own-alice@localhost"))))
                    .as("the last owner").isEqualTo(StanzaError.Condition.conflict);

            a.grantOwnership(jid("own-bob@localhost"));
            assertThat(b.getOwners()).extracting(Affiliate::getJid).extracting(Object::toString)
                    .containsExactlyInAnyOrder("own-alice@localhost", "own-bob@localhost");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void anOwnerDestroysTheRoomNamingAnAlternateVenue() throws Exception {
        XMPPTCPConnection alice = server.login("destroy-alice");
        XMPPTCPConnection bob = server.login("destroy-bob");
        try {
            MultiUserChat a = instant(alice, "doomed", "Alice");
            MultiUserChat b = muc(bob, "doomed");
            b.join(nick("Bob"));
            BlockingQueue<Presence> seenByBob = presences(b);
            assertThat(refused(() -> b.destroy("mine now", null))).isEqualTo(StanzaError.Condition.forbidden);

            a.destroy("moved", JidCreate.entityBareFrom("newplace@conference.localhost"));
            Presence gone = from(seenByBob, "Bob", Presence.Type.unavailable);
            assertThat(gone.getType()).isEqualTo(Presence.Type.unavailable);
            MUCUser x = MUCUser.from(gone);
            assertThat(x.getDestroy()).isNotNull();
            assertThat(x.getDestroy().getJid().toString()).isEqualTo("newplace@conference.localhost");
            assertThat(x.getDestroy().getReason()).isEqualTo("moved");
            assertThat(refused(() -> org.jivesoftware.smackx.muc.MultiUserChatManager.getInstanceFor(bob)
                    .getRoomInfo(Mucs.room("doomed")))).isEqualTo(StanzaError.Condition.item_not_found);
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }
}
