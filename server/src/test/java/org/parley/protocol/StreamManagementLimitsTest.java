package org.parley.protocol;

import org.parley.feature.offline.SqlOfflineStore;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.Clients;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/** XEP-0198 limits and timers as configured: ack requests, the unacked ceiling, and shutdown. */
class StreamManagementLimitsTest {
    private static final String SM = "urn:xmpp:sm:3";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_SM_REQUEST_ACK_EVERY", "3",
            "PARLEY_SM_MAX_UNACKED", "5",
            "PARLEY_SM_REQUEST_ACK_INTERVAL", "500ms"));

    @TempDir
    Path dir;

    private static RawStreamClient enabled(TestServer on, String user, String attrs) throws Exception {
        if (!on.server().stores().accounts().exists(user)) {
            on.createUser(user, ServerExtension.password(user));
        }
        RawStreamClient c = RawStreamClient.loggedIn(on, user, ServerExtension.password(user), "r");
        c.send("<enable xmlns='" + SM + "' " + attrs + "/>");
        c.expect(e -> e.is("enabled", SM), "enabled");
        return c;
    }

    private static boolean isMessage(Object o) {
        return o instanceof Element e && e.is("message", Namespaces.CLIENT);
    }

    @Test
    void theServerAsksForAnAckEveryFewStanzasAndWhenStanzasWaitTooLong() throws Exception {
        try (RawStreamClient alice = enabled(server.get(), "req-alice", "");
             MessageInbox bob = server.inbox("req-bob", "b")) {
            for (int i = 1; i <= 3; i++) {
                bob.sendChat("req-alice@localhost/r", "m" + i);
            }
            int messages = 0;
            while (messages < 3) {
                Object o = alice.next();
                if (isMessage(o)) {
                    messages++;
                } else {
                    assertThat(((Element) o).is("r", SM)).as("only messages and (timer) ack requests").isTrue();
                }
            }
            // Written together with the third stanza, so nothing can come between.
            assertThat(alice.element().is("r", SM)).as("<r/> after requestAckEvery stanzas").isTrue();
            alice.send("<a xmlns='" + SM + "' h='2'/>");
            // One stanza is still unacknowledged: the timer asks again.
            assertThat(alice.element().is("r", SM)).as("<r/> from the timer").isTrue();
            alice.send("<a xmlns='" + SM + "' h='3'/>");
            bob.sendChat("req-alice@localhost/r", "m4");
            assertThat(alice.expect(e -> e.is("message", Namespaces.CLIENT), "m4")).isNotNull();
        }
    }

    @Test
    void aClientThatNeverAcknowledgesIsCutOffAndNothingIsLost() throws Exception {
        try (RawStreamClient alice = enabled(server.get(), "max-alice", "resume='true'");
             MessageInbox bob = server.inbox("max-bob", "b")) {
            for (int i = 1; i <= 6; i++) {
                bob.sendChat("max-alice@localhost/r", "m" + i);
            }
            String condition = null;
            while (condition == null) {
                Object o = alice.next();
                if (o instanceof Element e && e.is("error", Namespaces.STREAMS)) {
                    condition = e.elementIn(Namespaces.STREAM_ERRORS).name();
                }
            }
            assertThat(condition).isEqualTo("policy-violation");
            ImClients.eventually("the six unacknowledged messages are stored",
                    () -> new SqlOfflineStore(server.database()).count("max-alice") == 6);
        }
    }

    @Test
    void aShutdownEndsDetachedSessionsAndKeepsWhatTheyMissed() throws Exception {
        try (TestServer first = TestServer.start(dir)) {
            RawStreamClient alice = enabled(first, "down-alice", "resume='true'");
            first.createUser("down-bob", "down-bob-pw");
            try (MessageInbox bob = MessageInbox.login(new Clients(first), "down-bob", "down-bob-pw", "b")) {
                bob.sendChat("down-alice@localhost/r", "before the shutdown");
                assertThat(isMessage(alice.next())).isTrue();
                alice.close();
                bob.sendChat("down-alice@localhost/r", "while detached");
                bob.sync();
            }
        }
        try (TestServer again = TestServer.start(dir);
             MessageInbox alice = MessageInbox.login(new Clients(again), "down-alice", "down-alice-pw", "r")) {
            assertThat(alice.next().getBody()).isEqualTo("before the shutdown");
            assertThat(alice.next().getBody()).isEqualTo("while detached");
        }
    }
}
