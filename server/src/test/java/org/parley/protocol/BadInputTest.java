package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.parley.testing.RawStreamClient.stanzaErrorCondition;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.Clients;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.xml.Element;

/**
 * Input a well-behaved client never sends, written as raw XML: the stream errors of RFC 6120
 * §4.9.3 and §11 and the stanza errors of §8.3. After each, two clients that were connected all
 * along must still be able to chat.
 */
class BadInputTest {
    private static final String STREAM_HEADER = "<stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();
    static MessageInbox witnessA;
    static MessageInbox witnessB;

    @BeforeAll
    static void connectWitnesses() throws Exception {
        witnessA = server.inbox("witness-a", "w");
        witnessB = server.inbox("witness-b", "w");
    }

    @AfterAll
    static void disconnectWitnesses() {
        witnessA.close();
        witnessB.close();
    }

    /** The bad client must not have harmed anyone else. */
    @AfterEach
    void serverStillServesOthers() throws Exception {
        assertWitnessesChat(witnessA, witnessB);
    }

    private static void assertWitnessesChat(MessageInbox a, MessageInbox b) throws Exception {
        String body = "still here " + System.nanoTime();
        a.sendChat("witness-b@localhost", body);
        Message m = b.next();
        assertThat(m.getBody()).isEqualTo(body);
        assertThat(m.getFrom().toString()).isEqualTo("witness-a@localhost/w");
        a.sync();
    }

    private static RawStreamClient loggedIn(String user) throws Exception {
        if (!server.stores().accounts().exists(user)) {
            server.createUser(user, user + "-pw");
        }
        return RawStreamClient.loggedIn(server.get(), user, user + "-pw", "raw");
    }

    // RFC 6120 §4.9.3.13 and §11: XML problems end the stream.

    @Test
    void malformedXmlIsNotWellFormed() throws Exception {
        try (RawStreamClient raw = loggedIn("bad-xml")) {
            raw.send("<message to='witness-b@localhost'><body>unclosed</message>");
            assertThat(raw.expectStreamError()).isEqualTo("not-well-formed");
        }
    }

    /**
     * RFC 3629 §3 and XML 1.0 §2.2, §4.3.3: bytes that are no UTF-8, and characters XML does not
     * allow, even written as references, make the stream not well-formed (RFC 6120 §4.9.3.13).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badCharacters")
    void illFormedUtf8AndNonXmlCharactersAreNotWellFormed(String what, byte[] bad) throws Exception {
        try (RawStreamClient raw = loggedIn("bad-chars")) {
            raw.send("<message to='witness-b@localhost' id='before'><body>fine</body></message>");
            assertThat(witnessB.next().getBody()).isEqualTo("fine");
            ByteArrayOutputStream stanza = new ByteArrayOutputStream();
            stanza.writeBytes("<message to='witness-b@localhost'><body>a".getBytes(UTF_8));
            stanza.writeBytes(bad);
            stanza.writeBytes("b</body></message>".getBytes(UTF_8));
            raw.send(stanza.toByteArray());
            assertThat(raw.expectStreamError()).isEqualTo("not-well-formed");
        }
        try (RawStreamClient raw = loggedIn("bad-chars")) {
            raw.send(("<message to='witness-b@localhost'><body x='" + new String(bad, ISO_8859_1) + "'>attr</body>"
                    + "</message>").getBytes(ISO_8859_1));
            assertThat(raw.expectStreamError()).isEqualTo("not-well-formed");
        }
        assertThat(witnessB.poll(Duration.ofMillis(100))).isNull();
    }

    static Stream<Arguments> badCharacters() {
        return Stream.of(
                bytes("overlong / (C0 AF)", 0xC0, 0xAF),
                bytes("overlong three bytes (E0 80 AF)", 0xE0, 0x80, 0xAF),
                bytes("UTF-8 encoded surrogate (ED A0 80)", 0xED, 0xA0, 0x80),
                bytes("above U+10FFFF (F4 90 80 80)", 0xF4, 0x90, 0x80, 0x80),
                bytes("truncated sequence (E2 82)", 0xE2, 0x82),
                bytes("NUL", 0x00),
                bytes("control character U+0001", 0x01),
                bytes("U+FFFE", 0xEF, 0xBF, 0xBE),
                bytes("U+FFFF", 0xEF, 0xBF, 0xBF),
                Arguments.of("lone surrogate &#xD800;", "&#xD800;".getBytes(UTF_8)),
                Arguments.of("&#0;", "&#0;".getBytes(UTF_8)));
    }

    private static Arguments bytes(String what, int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return Arguments.of(what, b);
    }

    @Test
    void doctypeIsRestrictedXml() throws Exception {
        try (RawStreamClient raw = RawStreamClient.directTls(server.get())) {
            raw.send("<?xml version='1.0'?><!DOCTYPE stream:stream [<!ELEMENT stream:stream ANY>]>" + STREAM_HEADER);
            assertThat(raw.expectStreamError()).isEqualTo("restricted-xml");
        }
    }

    @Test
    void entityDeclarationIsRestrictedXml() throws Exception {
        try (RawStreamClient raw = loggedIn("bad-entity")) {
            raw.send("<!ENTITY lol 'lol'><message to='witness-b@localhost'><body>&lol;</body></message>");
            assertThat(raw.expectStreamError()).isEqualTo("restricted-xml");
        }
    }

    @Test
    void entityReferenceIsRestrictedXml() throws Exception {
        try (RawStreamClient raw = loggedIn("bad-entity-ref")) {
            raw.send("<message to='witness-b@localhost'><body>&lol;</body></message>");
            assertThat(raw.expectStreamError()).isEqualTo("restricted-xml");
        }
    }

    @Test
    void stanzaOverDefaultSizeLimitIsPolicyViolation() throws Exception {
        try (RawStreamClient raw = loggedIn("bad-big")) {
            // 300 KiB against the default 256 KiB; the server may stop reading before the end.
            raw.sendQuietly("<message to='witness-b@localhost'><body>" + "x".repeat(300 * 1024) + "</body></message>");
            assertThat(raw.expectStreamError()).isEqualTo("policy-violation");
        }
    }

    @Test
    void stanzaOverConfiguredSizeLimitIsPolicyViolation(@TempDir Path smallDir) throws Exception {
        try (TestServer small = TestServer.start(smallDir, Map.of("PARLEY_LIMITS_MAX_STANZA_BYTES", "4096"))) {
            small.createUser("small-a", "small-a-pw");
            small.createUser("small-b", "small-b-pw");
            Clients clients = new Clients(small);
            try (MessageInbox a = MessageInbox.login(clients, "small-a", "small-a-pw", "w");
                 MessageInbox b = MessageInbox.login(clients, "small-b", "small-b-pw", "w");
                 RawStreamClient raw = RawStreamClient.loggedIn(small, "small-a", "small-a-pw", "raw")) {
                String fits = "<message to='small-b@localhost'><body>" + "y".repeat(3000) + "</body></message>";
                raw.send(fits);
                assertThat(b.next().getBody()).hasSize(3000);

                raw.sendQuietly("<message to='small-b@localhost'><body>" + "x".repeat(5000) + "</body></message>");
                assertThat(raw.expectStreamError()).isEqualTo("policy-violation");
                assertThat(b.poll(Duration.ofMillis(100))).isNull();

                a.sendChat("small-b@localhost", "after the big one");
                assertThat(b.next().getBody()).isEqualTo("after the big one");
            }
        }
    }

    @Test
    void nestingAtTheDepthLimitIsAccepted() throws Exception {
        try (RawStreamClient raw = loggedIn("deep-ok")) {
            // The stanza is level 1; the default limit is 32 levels.
            raw.send("<message to='" + raw.jid() + "' id='deep'>" + nested(31) + "</message>");
            Element echoed = raw.expect(e -> "deep".equals(e.attr("id")), "the nested message");
            assertThat(echoed.attr("type")).isNull();
            assertThat(echoed.attr("from")).isEqualTo(raw.jid());
        }
    }

    @Test
    void nestingOverTheDepthLimitIsPolicyViolation() throws Exception {
        try (RawStreamClient raw = loggedIn("deep-bad")) {
            raw.send("<message to='witness-b@localhost'>" + nested(32) + "</message>");
            assertThat(raw.expectStreamError()).isEqualTo("policy-violation");
        }
    }

    private static String nested(int levels) {
        return "<x xmlns='urn:example:nest'>".repeat(levels) + "</x>".repeat(levels);
    }

    // RFC 6120 §4.9.3 and §8.1.2.1: stream-level stanza problems.

    @Test
    void spoofedFromIsInvalidFrom() throws Exception {
        try (RawStreamClient raw = loggedIn("spoofer")) {
            raw.send("<message from='witness-a@localhost/w' to='witness-b@localhost'><body>it is me</body></message>");
            assertThat(raw.expectStreamError()).isEqualTo("invalid-from");
        }
        assertThat(witnessB.poll(Duration.ofMillis(100))).isNull();
    }

    @Test
    void unknownTopLevelElementIsUnsupportedStanzaType() throws Exception {
        try (RawStreamClient raw = loggedIn("unknown-element")) {
            raw.send("<note xmlns='jabber:client' to='witness-b@localhost'>hi</note>");
            assertThat(raw.expectStreamError()).isEqualTo("unsupported-stanza-type");
        }
    }

    @Test
    void stanzaBeforeAuthenticationIsNotAuthorized() throws Exception {
        try (RawStreamClient raw = RawStreamClient.directTls(server.get())) {
            raw.openAndReadFeatures(TestServer.DOMAIN);
            raw.send("<message to='witness-b@localhost'><body>let me in</body></message>");
            assertThat(raw.expectStreamError()).isEqualTo("not-authorized");
        }
        assertThat(witnessB.poll(Duration.ofMillis(100))).isNull();
    }

    // RFC 6120 §8.3: stanza errors; the stream stays open.

    @Test
    void iqToUnknownNamespaceIsServiceUnavailable() throws Exception {
        try (RawStreamClient raw = loggedIn("iq-unknown")) {
            raw.send("<iq type='get' id='u1' to='localhost'><query xmlns='urn:example:unknown'/></iq>");
            Element reply = raw.element();
            assertThat(reply.attr("type")).isEqualTo("error");
            assertThat(reply.attr("id")).isEqualTo("u1");
            assertThat(reply.attr("from")).isEqualTo("localhost");
            assertThat(stanzaErrorCondition(reply)).isEqualTo("service-unavailable");
            assertPingWorks(raw);
        }
    }

    @Test
    void iqWithoutIdIsBadRequest() throws Exception {
        try (RawStreamClient raw = loggedIn("iq-noid")) {
            raw.send("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
            Element reply = raw.element();
            assertThat(reply.name()).isEqualTo("iq");
            assertThat(reply.attr("type")).isEqualTo("error");
            assertThat(stanzaErrorCondition(reply)).isEqualTo("bad-request");
            assertPingWorks(raw);
        }
    }

    @Test
    void iqGetWithTwoPayloadsIsBadRequest() throws Exception {
        try (RawStreamClient raw = loggedIn("iq-two")) {
            raw.send("<iq type='get' id='two' to='localhost'><ping xmlns='urn:xmpp:ping'/>"
                    + "<query xmlns='jabber:iq:version'/></iq>");
            Element reply = raw.element();
            assertThat(reply.attr("type")).isEqualTo("error");
            assertThat(reply.attr("id")).isEqualTo("two");
            assertThat(stanzaErrorCondition(reply)).isEqualTo("bad-request");
            assertPingWorks(raw);
        }
    }

    @Test
    void malformedToIsJidMalformed() throws Exception {
        try (RawStreamClient raw = loggedIn("bad-jid")) {
            raw.send("<message to='witness-b@@localhost' id='m1'><body>where to?</body></message>");
            Element reply = raw.element();
            assertThat(reply.name()).isEqualTo("message");
            assertThat(reply.attr("type")).isEqualTo("error");
            assertThat(reply.attr("id")).isEqualTo("m1");
            assertThat(reply.attr("to")).isEqualTo(raw.jid());
            assertThat(stanzaErrorCondition(reply)).isEqualTo("jid-malformed");
            assertPingWorks(raw);
        }
    }

    @Test
    void errorWithMalformedToIsNotAnswered() throws Exception {
        try (RawStreamClient raw = loggedIn("bad-jid-error")) {
            // RFC 6120 §8.3.1: an error stanza is never answered with another error.
            raw.send("<message type='error' to='witness-b@@localhost' id='e1'><error type='cancel'>"
                    + "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
            raw.send("<iq type='error' to='witness-b@@localhost' id='e2'><error type='cancel'>"
                    + "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
            raw.send("<iq type='result' to='witness-b@@localhost' id='e3'/>");
            String id = "after-errors";
            raw.send("<iq type='get' id='" + id + "' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
            Element first = raw.element();
            assertThat(first.attr("id")).isEqualTo(id);
            assertThat(first.attr("type")).isEqualTo("result");
        }
    }

    // RFC 6120 §4.6.1: whitespace between stanzas keeps the connection alive and is otherwise ignored.

    @Test
    void whitespaceKeepalivesAreAccepted() throws Exception {
        try (RawStreamClient raw = loggedIn("keepalive")) {
            for (int i = 0; i < 5; i++) {
                raw.send(" ");
                raw.send("\n\t \r\n");
            }
            assertPingWorks(raw);
            raw.send("  <message to='witness-b@localhost'><body>after spaces</body></message>  ");
            assertThat(witnessB.next().getBody()).isEqualTo("after spaces");
            assertPingWorks(raw);
        }
    }

    private static void assertPingWorks(RawStreamClient raw) throws Exception {
        String id = "ping-" + System.nanoTime();
        raw.send("<iq type='get' id='" + id + "' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        Element reply = raw.expect(e -> id.equals(e.attr("id")), "the ping answer");
        assertThat(reply.attr("type")).isEqualTo("result");
    }
}
