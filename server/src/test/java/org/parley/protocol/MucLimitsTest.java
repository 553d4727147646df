package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.parley.protocol.Mucs.instant;
import static org.parley.protocol.Mucs.muc;
import static org.parley.protocol.Mucs.next;

import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
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
    void aLargeRoomSendsANewcomerAtMostMaxJoinPresencesModeratorsFirstAndTheRestAsTheyChange() throws Exception {
        XMPPTCPConnection owner = server.login("big-owner");
        XMPPTCPConnection p1 = server.login("big-p1");
        XMPPTCPConnection p2 = server.login("big-p2");
        XMPPTCPConnection newcomer = server.login("big-new");
        try {
            instant(owner, "big", "Owner");
            muc(p1, "big").join(Mucs.nick("P1"));
            MultiUserChat two = muc(p2, "big");
            two.join(Mucs.nick("P2"));
            MultiUserChat n = muc(newcomer, "big");
            n.join(Mucs.nick("New"));
            Thread.sleep(500); // any presence beyond the limit would have arrived with the join
            assertThat(n.getOccupants()).extracting(Object::toString).containsExactlyInAnyOrder(
                    "big@conference.localhost/Owner", "big@conference.localhost/P1", "big@conference.localhost/New");

            two.changeAvailabilityStatus("back", org.jivesoftware.smack.packet.Presence.Mode.away);
            for (int i = 0; i < 50 && n.getOccupants().size() < 4; i++) {
                Thread.sleep(100);
            }
            assertThat(n.getOccupants()).as("seen once it changes its presence").hasSize(4);
        } finally {
            owner.disconnect();
            p1.disconnect();
            p2.disconnect();
            newcomer.disconnect();
        }
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
