package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.parley.protocol.Mucs.instant;
import static org.parley.protocol.Mucs.muc;
import static org.parley.protocol.Mucs.next;

import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ServerExtension;

/** The service's limits as settings: rooms per user, message size, occupants, history kept, presences on joining. */
class MucLimitsTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_MUC_ROOMS_PER_USER", "1", "PARLEY_MUC_MAX_MESSAGE_CHARS", "10", "PARLEY_MUC_MAX_OCCUPANTS", "4",
            "PARLEY_MUC_HISTORY", "2", "PARLEY_MUC_MAX_JOIN_PRESENCES", "2"));

    @Test
    void aLargeRoomSendsItsParticipantsPresencesToModeratorsOnlyAndANewParticipantOnlyTheModerators()
            throws Exception {
        XMPPTCPConnection owner = server.login("big-owner");
        XMPPTCPConnection p1 = server.login("big-p1");
        XMPPTCPConnection p2 = server.login("big-p2");
        XMPPTCPConnection newcomer = server.login("big-new");
        XMPPTCPConnection moderator = server.login("big-mod");
        try {
            MultiUserChat room = instant(owner, "big", "Owner");
            MultiUserChat one = muc(p1, "big");
            try (StanzaCollector seenByOwner = owner.createStanzaCollector(fromRoom("big"));
                 StanzaCollector seenByP1 = p1.createStanzaCollector(fromRoom("big"))) {
                one.join(Mucs.nick("P1")); // two occupants: not large yet, P1 is seen by all
                MultiUserChat two = muc(p2, "big");
                two.join(Mucs.nick("P2")); // three: large, P2's join goes to the moderator only
                awaitPresence(seenByOwner, "P2", null);
                MultiUserChat n = muc(newcomer, "big");
                try (StanzaCollector seenByNew = newcomer.createStanzaCollector(fromRoom("big"))) {
                    n.join(Mucs.nick("New"));
                    awaitPresence(seenByOwner, "New", null);
                    two.changeAvailabilityStatus("back", Presence.Mode.away);
                    awaitPresence(seenByOwner, "P2", "back");
                    // a ping through the room: what it sent the others before is in their collectors
                    assertThat(PingManager.getInstanceFor(newcomer).ping(Mucs.occupant("big", "New"))).isTrue();
                    assertThat(PingManager.getInstanceFor(p1).ping(Mucs.occupant("big", "P1"))).isTrue();
                    assertThat(presencesFrom(seenByNew)).as("the newcomer, a participant of a large room: the moderator and itself")
                            .containsExactly("Owner", "New");
                    assertThat(presencesFrom(seenByP1)).as("P1 sees neither P2 nor New join, nor P2 change")
                            .containsExactly("Owner", "P1");
                    two.sendMessage("hello");
                    assertThat(next(n).getFrom().getResourceOrThrow().toString()).as("seen when it speaks").isEqualTo("P2");
                }
                room.grantOwnership(moderator.getUser().asEntityBareJid());
                try (StanzaCollector seenByMod = moderator.createStanzaCollector(fromRoom("big"))) {
                    muc(moderator, "big").join(Mucs.nick("Mod"));
                    assertThat(PingManager.getInstanceFor(moderator).ping(Mucs.occupant("big", "Mod"))).isTrue();
                    assertThat(presencesFrom(seenByMod))
                            .as("a moderator newcomer: at most 2 others, moderators first, then in the order they joined")
                            .containsExactly("Owner", "P1", "Mod");
                }
            }
        } finally {
            owner.disconnect();
            p1.disconnect();
            p2.disconnect();
            newcomer.disconnect();
            moderator.disconnect();
        }
    }

    private static StanzaFilter fromRoom(String room) {
        return new AndFilter(StanzaTypeFilter.PRESENCE, FromMatchesFilter.createBare(Mucs.room(room)));
    }

    /** Waits for the presence of {@code nick} (with {@code status}, when given) among those {@code c} collects. */
    private static void awaitPresence(StanzaCollector c, String nick, String status) throws Exception {
        for (Stanza s = c.nextResult(10_000); s != null; s = c.nextResult(10_000)) {
            if (nick.equals(s.getFrom().getResourceOrThrow().toString())
                    && (status == null || status.equals(((Presence) s).getStatus()))) {
                return;
            }
        }
        throw new AssertionError("no presence of " + nick + (status == null ? "" : " with status " + status));
    }

    /** The nicknames of the room's presences a collector holds, in order. */
    private static List<String> presencesFrom(StanzaCollector c) {
        List<String> nicks = new java.util.ArrayList<>();
        for (Stanza s = c.pollResult(); s != null; s = c.pollResult()) {
            nicks.add(s.getFrom().getResourceOrThrow().toString());
        }
        return nicks;
    }

    @Test
    void aRoomKeepsHistoryOfAtMostTheSettingAndTakesAtMostMaxOccupants() throws Exception {
        XMPPTCPConnection owner = server.login("few-owner");
        XMPPTCPConnection late = server.login("few-late");
        try {
            MultiUserChat room = instant(owner, "few", "Owner");
            for (String m : List.of("one", "two", "three")) {
                room.sendMessage(m);
                assertThat(next(room).getBody()).isEqualTo(m);
            }
            MultiUserChat l = muc(late, "few");
            l.join(Mucs.nick("Late"));
            assertThat(next(l).getBody()).isEqualTo("two");
            assertThat(next(l).getBody()).isEqualTo("three");
            assertThat(room.getConfigurationForm().getField("muc#roomconfig_maxusers").getFirstValue()).isEqualTo("4");
            XMPPErrorException e = catchThrowableOfType(XMPPErrorException.class,
                    () -> Mucs.configure(room, Map.of("muc#roomconfig_maxusers", "5")));
            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.not_acceptable);
        } finally {
            owner.disconnect();
            late.disconnect();
        }
    }

    @Test
    void aUserMakesAtMostRoomsPerUserRoomsAndMayMakeAnotherWhenOneIsGone() throws Exception {
        XMPPTCPConnection alice = server.login("limit-alice");
        try {
            MultiUserChat first = instant(alice, "first", "Alice");
            assertThat(Mucs.joinError(muc(alice, "second"), "Alice", null)).isEqualTo(StanzaError.Condition.not_allowed);
            first.leave();
            instant(alice, "second", "Alice");
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void aMessageLongerThanTheLimitIsAPolicyViolationAndTheRoomGoesOn() throws Exception {
        XMPPTCPConnection bob = server.login("limit-bob");
        try {
            MultiUserChat b = instant(bob, "short", "Bob");
            Message long_ = bob.getStanzaFactory().buildMessageStanza().to(Mucs.room("short"))
                    .ofType(Message.Type.groupchat).setBody("far too long a message").build();
            try (StanzaCollector errors = bob.createStanzaCollectorAndSend(MessageTypeFilter.ERROR, long_)) {
                Message e = errors.nextResult(5000);
                assertThat(e).isNotNull();
                assertThat(e.getError().getCondition()).isEqualTo(StanzaError.Condition.policy_violation);
            }
            b.sendMessage("short");
            assertThat(next(b).getBody()).isEqualTo("short");
        } finally {
            bob.disconnect();
        }
    }
}
