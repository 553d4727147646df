package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.MessageInbox;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.testing.WebSocketClient;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * RFC 7395 at {@code /xmpp-websocket}: the upgrade's checks (subprotocol, browser origin), the
 * framing ({@code <open/>}, {@code <close/>}, one whole element per message), the limits, and
 * that a client breaking them loses only its own stream.
 */
class WebSocketTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_WEBSOCKET_ALLOWED_ORIGINS", "https://chat.example, http://localhost:8080",
            "PARLEY_LIMITS_MAX_STANZA_BYTES", "10000"));

    private static URI url() {
        return WebSocketClient.url(server.get());
    }

    @Test
    void aPlainGetIsAskedToUpgrade() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.get().server().httpPort() + "/xmpp-websocket")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(426);
        assertThat(r.headers().firstValue("upgrade")).hasValue("websocket");
        assertThat(r.body()).contains("\"error\"");
    }

    @Test
    void theXmppSubprotocolIsRequiredAndAgreed() throws Exception {
        assertThatThrownBy(() -> WebSocketClient.connect(url(), null, null))
                .rootCause().hasMessageContaining("status code 400");
        assertThatThrownBy(() -> WebSocketClient.connect(url(), null, "mqtt"))
                .rootCause().hasMessageContaining("status code 400");
        try (WebSocketClient c = WebSocketClient.connect(url(), null, "xmpp")) {
            Element features = c.openAndReadFeatures(TestServer.DOMAIN);
            assertThat(features.element("mechanisms", Namespaces.SASL)).isNotNull();
            assertThat(features.element("starttls", Namespaces.TLS)).as("no STARTTLS over WebSocket").isNull();
        }
    }

    @Test
    void browsersConnectOnlyFromAllowedOrigins() throws Exception {
        assertThatThrownBy(() -> WebSocketClient.connect(url(), "https://evil.example", "xmpp"))
                .rootCause().hasMessageContaining("status code 403");
        try (WebSocketClient c = WebSocketClient.connect(url(), "https://chat.example", "xmpp")) {
            assertThat(c.openAndReadFeatures(TestServer.DOMAIN)).isNotNull();
        }
        try (WebSocketClient c = WebSocketClient.connect(url(), "HTTP://localhost:8080", "xmpp")) {
            assertThat(c.openAndReadFeatures(TestServer.DOMAIN)).isNotNull();
        }
    }

    @Test
    void theServersOpenAnswersTheClientsAndCloseEndsTheStream() throws Exception {
        try (WebSocketClient c = WebSocketClient.connect(server.get())) {
            c.send("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='localhost' version='1.0'/>");
            Element open = c.element();
            assertThat(open.is("open", WebSocketClient.FRAMING)).isTrue();
            assertThat(open.attr("from")).isEqualTo("localhost");
            assertThat(open.attr("version")).isEqualTo("1.0");
            assertThat(open.attr("id")).isNotBlank();
            assertThat(c.element().is("features", Namespaces.STREAMS)).isTrue();
            c.send("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");
            c.expectClosed();
            assertThat(c.closeStatus()).isEqualTo(1000);
        }
    }

    @Test
    void anOpenToAnotherHostIsAStreamError() throws Exception {
        try (WebSocketClient c = WebSocketClient.connect(server.get())) {
            c.send("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='elsewhere.example' version='1.0'/>");
            assertThat(c.expectStreamError()).isEqualTo("host-unknown");
        }
    }

    @Test
    void twoElementsInOneMessageEndOnlyThatStream() throws Exception {
        expectNotWellFormed("<iq type='get' id='a'><ping xmlns='urn:xmpp:ping'/></iq>"
                + "<iq type='get' id='b'><ping xmlns='urn:xmpp:ping'/></iq>");
    }

    @Test
    void anElementSplitAcrossMessagesEndsOnlyThatStream() throws Exception {
        expectNotWellFormed("<iq type='get' id='a'>");
    }

    @Test
    void badXmlEndsOnlyThatStream() throws Exception {
        expectNotWellFormed("<iq type='get' id='a'></message>");
    }

    private static void expectNotWellFormed(String message) throws Exception {
        try (MessageInbox bystander = server.inbox("ws-bystander", "r");
             WebSocketClient c = WebSocketClient.loggedIn(server.get(), "ws-bad", password("ws-bad"), "web")) {
            c.send(message);
            assertThat(c.expectStreamError()).isEqualTo("not-well-formed");
            bystanderStillChats(bystander);
        }
    }

    @Test
    void aMessageLargerThanAStanzaMayBeIsAPolicyViolation() throws Exception {
        try (MessageInbox bystander = server.inbox("ws-bystander", "r");
             WebSocketClient c = WebSocketClient.loggedIn(server.get(), "ws-big", password("ws-big"), "web")) {
            c.send("<message to='ws-bystander@localhost/r'><body>" + "x".repeat(20_000) + "</body></message>");
            assertThat(c.expectStreamError()).isEqualTo("policy-violation");
            bystanderStillChats(bystander);
        }
    }

    @Test
    void stanzasWithoutANamespaceAreClientStanzasAndRepliesDeclareTheirs() throws Exception {
        try (WebSocketClient c = WebSocketClient.loggedIn(server.get(), "ws-ns", password("ws-ns"), "web")) {
            c.send("<iq type='get' id='v' to='localhost'><query xmlns='jabber:iq:version'/></iq>");
            Element reply = c.expect(e -> "v".equals(e.attr("id")), "version reply");
            assertThat(reply.namespace()).isEqualTo(Namespaces.CLIENT);
            assertThat(reply.attr("type")).isEqualTo("result");
        }
    }

    private static void bystanderStillChats(MessageInbox bystander) throws Exception {
        try (WebSocketClient other = WebSocketClient.loggedIn(server.get(), "ws-good", password("ws-good"), "web")) {
            other.send("<message xmlns='jabber:client' to='ws-bystander@localhost/r' type='chat'><body>still here</body></message>");
            assertThat(bystander.next().getBody()).isEqualTo("still here");
        }
    }

    @Test
    void aStoppingServerSendsItsClientsToSeeOtherUri(@TempDir Path dir) throws Exception {
        TestServer stopping = TestServer.start(dir, Map.of("PARLEY_WEBSOCKET_SEE_OTHER_URI", "wss://chat.example/xmpp-websocket"));
        try {
            stopping.createUser("ws-moved", "secret-ws-moved");
            try (WebSocketClient c = WebSocketClient.loggedIn(WebSocketClient.url(stopping), "ws-moved", "secret-ws-moved", "web")) {
                stopping.close();
                Element close = c.element();
                while (!close.is("close", WebSocketClient.FRAMING)) {
                    assertThat(close.is("error", Namespaces.STREAMS)).as("no stream error, a redirect").isFalse();
                    close = c.element();
                }
                assertThat(close.attr("see-other-uri")).as("RFC 7395 §3.6.1").isEqualTo("wss://chat.example/xmpp-websocket");
            }
        } finally {
            stopping.close();
        }
    }

    private static String password(String user) {
        server.account(user);
        return ServerExtension.password(user);
    }
}
