package org.parley.protocol;

import org.parley.feature.offline.SqlOfflineStore;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * XEP-0198 queue limits: a burst past {@code sm.maxUnacked} does not end the session of a client
 * that keeps acknowledging (it cannot acknowledge what is still on its way), while
 * {@code sm.maxQueued} ends any session at once. The grace period is the default 30 s, so the
 * soft rule cannot fire during these tests.
 */
class StreamManagementQueueLimitsTest {
    private static final String SM = "urn:xmpp:sm:3";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_SM_REQUEST_ACK_EVERY", "1000",
            "PARLEY_SM_MAX_UNACKED", "5",
            "PARLEY_SM_MAX_QUEUED", "12"));

    private static RawStreamClient enabled(String user) throws Exception {
        server.createUser(user, ServerExtension.password(user));
        RawStreamClient c = RawStreamClient.loggedIn(server.get(), user, ServerExtension.password(user), "r");
        c.send("<enable xmlns='" + SM + "' resume='true'/>");
        c.expect(e -> e.is("enabled", SM), "enabled");
        return c;
    }

    private static void receive(RawStreamClient c, int messages) {
        for (int i = 0; i < messages; i++) {
            c.expect(e -> e.is("message", Namespaces.CLIENT), "message " + (i + 1));
        }
    }

    @Test
    void aBurstPastTheSoftLimitIsFineWhileTheClientAcknowledges() throws Exception {
        try (RawStreamClient alice = enabled("burst-alice"); MessageInbox bob = server.inbox("burst-bob", "b")) {
            for (int round = 1; round <= 3; round++) {
                for (int i = 0; i < 10; i++) {
                    bob.sendChat("burst-alice@localhost/r", "m" + i);
                }
                receive(alice, 10);
                alice.send("<a xmlns='" + SM + "' h='" + 10 * round + "'/>");
                // The ack and the next round travel on two connections: let the server take the
                // ack first (a ping answered on the same stream), or the round could overtake it.
                String sync = "sync-" + round;
                alice.send("<iq type='get' id='" + sync + "'><ping xmlns='urn:xmpp:ping'/></iq>");
                alice.expect(e -> sync.equals(e.attr("id")), "the ping answer");
            }
            alice.send("<iq type='get' id='alive'><ping xmlns='urn:xmpp:ping'/></iq>");
            Element answer = alice.expect(e -> "alive".equals(e.attr("id")) || e.is("error", Namespaces.STREAMS),
                    "the ping answer");
            assertThat(answer.name()).as("the session is still up").isEqualTo("iq");
        }
    }

    @Test
    void theHardCeilingEndsTheSessionAtOnceAndNothingIsLost() throws Exception {
        try (RawStreamClient alice = enabled("ceiling-alice"); MessageInbox bob = server.inbox("ceiling-bob", "b")) {
            for (int i = 1; i <= 13; i++) {
                bob.sendChat("ceiling-alice@localhost/r", "m" + i);
            }
            Element error = alice.expect(e -> e.is("error", Namespaces.STREAMS), "a stream error");
            assertThat(error.elementIn(Namespaces.STREAM_ERRORS).name()).isEqualTo("policy-violation");
            ImClients.eventually("the thirteen unacknowledged messages are stored",
                    () -> new SqlOfflineStore(server.database()).count("ceiling-alice") == 13);
        }
    }
}
