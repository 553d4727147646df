package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.session.Session;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;

/**
 * XEP-0198 sm.ackTimeout: a client that leaves the server's {@code <r/>} unanswered has most
 * likely lost its network without the TCP connection noticing (a phone in a tunnel). The server
 * drops the connection without ending the stream, so the session waits detached for the phone to
 * resume (and push notices go out), instead of writing into a dead socket for minutes.
 */
class StreamManagementAckTimeoutTest {
    private static final String SM = "urn:xmpp:sm:3";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of("PARLEY_SM_ACK_TIMEOUT", "1s"));

    private RawStreamClient phone;
    private String resumptionId;

    private RawStreamClient enabled(String user) throws Exception {
        server.account(user);
        phone = RawStreamClient.loggedIn(server.get(), user, ServerExtension.password(user), "phone");
        phone.send("<enable xmlns='" + SM + "' resume='true'/>");
        resumptionId = phone.expect(e -> e.is("enabled", SM), "<enabled/>").attr("id");
        return phone;
    }

    private static Session session(String user) {
        return server.get().server().directory().session(Jid.of(user + "@localhost/phone"));
    }

    private static Element message(RawStreamClient c, String body) {
        return c.expect(e -> e.is("message", Namespaces.CLIENT) && body.equals(e.childText("body", Namespaces.CLIENT)),
                "message " + body);
    }

    @Test
    void aSilentClientIsDroppedAndResumesWithWhatItMissed() throws Exception {
        enabled("silent-alice");
        try (MessageInbox bob = server.inbox("silent-bob", "b")) {
            bob.sendChat("silent-alice@localhost/phone", "are you there?");
            message(phone, "are you there?");
            assertThat(phone.expect(e -> e.is("r", SM), "the request after the first stanza owed")).isNotNull();
            // The phone answers nothing: its network is gone.
            ImClients.eventually("the connection is dropped and the session detached",
                    () -> session("silent-alice") != null && session("silent-alice").isDetached());
            Object last;
            while ((last = phone.next()) != null) {
                assertThat(last).as("no stream error or end: the stream was not closed, only the connection")
                        .isInstanceOf(Element.class);
                assertThat(((Element) last).is("error", Namespaces.STREAMS)).isFalse();
            }
            assertThat(session("silent-alice").isDetached()).as("still there for the phone to resume").isTrue();
            assertThat(session("silent-alice").detachedUntil())
                    .as("it tells when its window closes: sm.resumeTimeout (5m) after it was detached")
                    .isBetween(Instant.now().plus(Duration.ofMinutes(4)), Instant.now().plus(Duration.ofMinutes(5)));

            try (RawStreamClient back = RawStreamClient.directTls(server.get())) {
                back.openAndReadFeatures(TestServer.DOMAIN);
                back.authPlain("silent-alice", ServerExtension.password("silent-alice"));
                back.restart(TestServer.DOMAIN);
                back.send("<resume xmlns='" + SM + "' previd='" + resumptionId + "' h='0'/>");
                assertThat(back.expect(e -> e.is("resumed", SM), "<resumed/>").attr("previd")).isEqualTo(resumptionId);
                assertThat(message(back, "are you there?").element("delay", "urn:xmpp:delay"))
                        .as("sent again, with its delay").isNotNull();
                assertThat(session("silent-alice").detachedUntil()).as("resumed: no longer detached").isNull();
            }
        }
    }

    @Test
    void aClientThatAnswersIsKept() throws Exception {
        try (RawStreamClient phone = enabled("awake-alice"); MessageInbox bob = server.inbox("awake-bob", "b")) {
            for (int i = 1; i <= 3; i++) {
                bob.sendChat("awake-alice@localhost/phone", "m" + i);
                message(phone, "m" + i);
                phone.expect(e -> e.is("r", SM), "the request");
                phone.send("<a xmlns='" + SM + "' h='" + i + "'/>");
                Thread.sleep(700); // more than the timeout in all, less between answer and request
            }
            phone.send("<iq type='get' id='alive'><ping xmlns='urn:xmpp:ping'/></iq>");
            assertThat(phone.expect(e -> "alive".equals(e.attr("id")), "the ping answer").attr("type"))
                    .isEqualTo("result");
            assertThat(session("awake-alice").isDetached()).isFalse();
        }
    }
}
