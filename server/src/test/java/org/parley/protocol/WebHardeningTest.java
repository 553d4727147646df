package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.BoshClient;
import org.parley.testing.MessageInbox;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.testing.WebSocketClient;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Namespaces;

/**
 * The hardening limits of TCP sessions hold for WebSocket and BOSH sessions too: the
 * authentication deadline, the cap on unauthenticated connections per address, the output bound
 * for a client that stops taking what it is sent, and inbound shaping (docs/security.md).
 */
class WebHardeningTest {
    @RegisterExtension
    static final ServerExtension limited = ServerExtension.withEnv(Map.of(
            "PARLEY_C2S_AUTH_TIMEOUT", "3s",
            "PARLEY_C2S_MAX_PENDING_OUTPUT_BYTES", "65536",
            "PARLEY_BOSH_INACTIVITY", "60s"));

    /**
     * The address cap on a server of its own: the test fills it, and a slot frees only once the
     * server has seen a connection go, some time after the client dropped it, so a test after it on
     * a shared server could find the cap still full.
     */
    @RegisterExtension
    static final ServerExtension capped = ServerExtension.withEnv(Map.of(
            "PARLEY_C2S_MAX_UNAUTHENTICATED_PER_ADDRESS", "2"));

    @RegisterExtension
    static final ServerExtension shaped = ServerExtension.withEnv(Map.of(
            "PARLEY_C2S_MAX_INBOUND_STANZAS_PER_SECOND", "5",
            "PARLEY_C2S_INBOUND_STANZA_BURST", "10",
            "PARLEY_C2S_SHAPING_GRACE", "2s"));

    /** A BOSH session creation request, answered as it is. */
    private static Element createBosh(TestServer server) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(BoshClient.url(server))
                .POST(HttpRequest.BodyPublishers.ofString("<body xmlns='" + BoshClient.NS + "' xmlns:xmpp='"
                        + BoshClient.XBOSH + "' rid='1' to='localhost' xmpp:version='1.0' wait='5' hold='1'/>"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return XmlStrings.parse(r.body());
    }

    /** Ends a session made by {@link #createBosh}, so it holds no unauthenticated slot. */
    private static void createdEnds(Element created) throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(BoshClient.url(capped.get()))
                .POST(HttpRequest.BodyPublishers.ofString("<body xmlns='" + BoshClient.NS + "' sid='"
                        + created.attr("sid") + "' rid='2' type='terminate'/>")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String streamErrorCondition(Element terminate) {
        assertThat(terminate.attr("condition")).isEqualTo("remote-stream-error");
        return terminate.element("error", Namespaces.STREAMS).elementIn(Namespaces.STREAM_ERRORS).name();
    }

    @Test
    void webStreamsThatNeverLogInEndAtTheAuthenticationDeadline() throws Exception {
        try (WebSocketClient ws = WebSocketClient.connect(limited.get());
             BoshClient bosh = BoshClient.connect(limited.get())) {
            ws.openAndReadFeatures(TestServer.DOMAIN);
            assertThat(ws.expectStreamError()).isEqualTo("connection-timeout");
            Element error = bosh.expect(e -> e.is("error", Namespaces.STREAMS), "the stream error");
            assertThat(error.elementIn(Namespaces.STREAM_ERRORS).name()).isEqualTo("connection-timeout");
            assertThat(bosh.quietFor(Duration.ofSeconds(2))).isTrue();
            assertThat(streamErrorCondition(bosh.terminate())).isEqualTo("connection-timeout");
        }
    }

    @Test
    void unauthenticatedWebConnectionsCountAgainstTheAddressCap() throws Exception {
        WebSocketClient first = WebSocketClient.connect(capped.get());
        try (WebSocketClient second = WebSocketClient.connect(capped.get())) {
            first.openAndReadFeatures(TestServer.DOMAIN);
            second.openAndReadFeatures(TestServer.DOMAIN);
            assertThat(streamErrorCondition(createBosh(capped.get()))).isEqualTo("policy-violation");
            try (WebSocketClient third = WebSocketClient.connect(capped.get())) {
                try {
                    third.send("<open xmlns='" + WebSocketClient.FRAMING + "' to='localhost' version='1.0'/>");
                } catch (java.io.IOException refusedFirst) {
                    // the server refuses a connection over the cap at once, without waiting for its <open/>
                }
                assertThat(third.expectStreamError()).isEqualTo("policy-violation");
            }
            first.close(); // a slot frees once the server has seen it go
            Element created = null;
            for (int i = 0; i < 30 && (created == null || created.attr("sid") == null); i++) {
                Thread.sleep(100);
                created = createBosh(capped.get());
            }
            assertThat(created.attr("sid")).as("room for a BOSH session again").isNotNull();
            createdEnds(created);
        }
    }

    @Test
    void aBoshClientThatStopsTakingItsOutputIsDroppedAtTheOutputBound() throws Exception {
        limited.account("bound-alice");
        BoshClient alice = BoshClient.loggedIn(limited.get(), "bound-alice",
                ServerExtension.password("bound-alice"), "web");
        alice.drop(); // no more requests: its output only accumulates
        try (MessageInbox bob = limited.inbox("bound-bob", "tcp")) {
            String big = "x".repeat(2000);
            for (int i = 0; i < 40; i++) {
                bob.sendChat("bound-alice@localhost/web", "m" + i + " " + big);
            }
            bob.sync();
            // Well before bosh.inactivity (60 s), the session is over: the server answers for the resource.
            Ping ping = new Ping(JidCreate.entityFullFrom("bound-alice@localhost/web"));
            try {
                bob.connection().createStanzaCollectorAndSend(ping).nextResultOrThrow(5000);
                throw new AssertionError("the BOSH session past its output bound is still there");
            } catch (XMPPException.XMPPErrorException e) {
                assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
            } catch (SmackException.NoResponseException e) {
                throw new AssertionError("the BOSH session past its output bound is still there", e);
            }
        }
        // What it could not take went to offline storage, the last message included.
        try (MessageInbox back = limited.inbox("bound-alice", "phone")) {
            Message last = null;
            for (Message m; (m = back.poll(Duration.ofSeconds(2))) != null; ) {
                last = m;
            }
            assertThat(last).isNotNull();
            assertThat(last.getBody()).startsWith("m39 ");
        }
    }

    @Test
    void aWebSocketClientSendingTooFastForTooLongIsCutOff() throws Exception {
        shaped.account("flood-ws");
        try (MessageInbox bob = shaped.inbox("flood-ws-bob", "tcp");
             WebSocketClient ws = WebSocketClient.loggedIn(shaped.get(), "flood-ws",
                     ServerExtension.password("flood-ws"), "web")) {
            try {
                for (int i = 0; i < 200; i++) {
                    ws.send("<message xmlns='jabber:client' to='flood-ws-bob@localhost/tcp' type='chat'><body>" + i
                            + "</body></message>");
                }
            } catch (java.io.IOException cutOff) {
                // the server ended the stream while we were still sending
            }
            assertThat(ws.expectStreamError()).isEqualTo("policy-violation");
            int got = 0;
            while (bob.poll(Duration.ofMillis(500)) != null) {
                got++;
            }
            assertThat(got).as("held back to the burst and rate").isLessThan(100);
        }
    }

    @Test
    void aBoshClientSendingTooFastForTooLongIsCutOff() throws Exception {
        shaped.account("flood-bosh");
        try (MessageInbox bob = shaped.inbox("flood-bosh-bob", "tcp")) {
            BoshClient bosh = BoshClient.loggedIn(shaped.get(), "flood-bosh", ServerExtension.password("flood-bosh"),
                    "web");
            StringBuilder twenty = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                twenty.append("<message xmlns='jabber:client' to='flood-bosh-bob@localhost/tcp' type='chat'><body>")
                        .append(i).append("</body></message>");
            }
            for (int i = 0; i < 10 && bosh.terminate() == null; i++) {
                bosh.send(twenty.toString());
            }
            assertThat(bosh.terminate()).as("ended").isNotNull();
            assertThat(streamErrorCondition(bosh.terminate())).isEqualTo("policy-violation");
            bosh.drop();
            int got = 0;
            while (bob.poll(Duration.ofMillis(500)) != null) {
                got++;
            }
            assertThat(got).as("held back to the burst and rate").isLessThan(100);
        }
    }
}
