package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.protocol.Mucs.instant;
import static org.parley.protocol.Mucs.muc;
import static org.parley.protocol.Mucs.next;

import java.util.Map;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ServerExtension;

/** The service's limits as settings: rooms per user and message size. */
class MucLimitsTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_MUC_ROOMS_PER_USER", "1", "PARLEY_MUC_MAX_MESSAGE_CHARS", "10"));

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
