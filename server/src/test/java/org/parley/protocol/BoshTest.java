package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.BoshClient;
import org.parley.testing.MessageInbox;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Namespaces;

/**
 * XEP-0124/XEP-0206 at {@code /http-bind}: the session's terms within the server's limits, the
 * request id window (resent, early and out-of-window rids), terminal
 * binding errors, the client's terminate, stream errors, the inactivity timeout, and browsers'
 * origins with CORS. A BOSH session is an ordinary client session: the scenarios it shares with
 * TCP and WebSocket are in {@link WebTransportScenariosTest}.
 */
class BoshTest {
    private static final String NS = BoshClient.NS;

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_BOSH_ALLOWED_ORIGINS", "https://chat.example",
            "PARLEY_BOSH_MAX_WAIT", "20s",
            "PARLEY_BOSH_INACTIVITY", "5s"));

    private static URI url() {
        return BoshClient.url(server.get());
    }

    private static HttpResponse<String> post(String body, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url()).header("Content-Type", "text/xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Element answer(String body) throws Exception {
        HttpResponse<String> r = post(body, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/xml; charset=utf-8");
        return XmlStrings.parse(r.body());
    }

    private static String creation(long rid, String extra) {
        return "<body xmlns='" + NS + "' xmlns:xmpp='urn:xmpp:xbosh' rid='" + rid + "' to='" + TestServer.DOMAIN
                + "' xmpp:version='1.0' " + extra + "/>";
    }

    private static String request(String sid, long rid, String extra, String payload) {
        return "<body xmlns='" + NS + "' sid='" + sid + "' rid='" + rid + "' " + extra + ">" + payload + "</body>";
    }

    @Test
    void aSessionIsCreatedWithinTheServersLimitsAndCarriesTheStreamFeatures() throws Exception {
        Element created = answer(creation(100, "wait='300' hold='3' ack='1'"));
        assertThat(created.attr("sid")).hasSizeGreaterThanOrEqualTo(20);
        assertThat(created.attr("wait")).as("bosh.maxWait").isEqualTo("20");
        assertThat(created.attr("hold")).as("bosh.maxHold").isEqualTo("1");
        assertThat(created.attr("requests")).isEqualTo("2");
        assertThat(created.attr("inactivity")).isEqualTo("5");
        assertThat(created.attr("ack")).as("§9.1: acknowledgements on").isEqualTo("100");
        assertThat(created.attr("from")).isEqualTo(TestServer.DOMAIN);
        assertThat(created.attr("xmpp:version")).isEqualTo("1.0");
        assertThat(created.attr("xmpp:restartlogic")).isEqualTo("true");
        Element features = created.element("features", Namespaces.STREAMS);
        assertThat(features).isNotNull();
        assertThat(features.element("mechanisms", Namespaces.SASL)).isNotNull();
        assertThat(features.element("starttls", Namespaces.TLS)).as("no STARTTLS over BOSH").isNull();
        answer(request(created.attr("sid"), 101, "type='terminate'", ""));
    }

    @Test
    void badRequestsGetTerminalBindingErrors() throws Exception {
        assertThat(answer("<body xmlns='" + NS + "' sid='no-such-session' rid='5'/>").attr("condition"))
                .isEqualTo("item-not-found");
        assertThat(answer("<nobody/>").attr("condition")).isEqualTo("bad-request");
        assertThat(answer("<body xmlns='" + NS + "' rid='1'").attr("condition")).as("not well-formed")
                .isEqualTo("bad-request");
        assertThat(answer("<body xmlns='" + NS + "' to='localhost'/>").attr("condition")).as("no rid")
                .isEqualTo("bad-request");
        Element unknown = answer("<body xmlns='" + NS + "' rid='1' to='elsewhere.example'/>");
        assertThat(unknown.attr("type")).isEqualTo("terminate");
        assertThat(unknown.attr("condition")).isEqualTo("host-unknown");
        assertThat(answer("<!DOCTYPE body [<!ENTITY x 'y'>]><body xmlns='" + NS + "' rid='1' to='localhost'/>")
                .attr("condition")).as("no DTDs").isEqualTo("bad-request");
    }

    @Test
    void aRequestIdBeyondTheWindowEndsTheSession() throws Exception {
        Element created = answer(creation(1000, "hold='1'"));
        String sid = created.attr("sid");
        Element beyond = answer(request(sid, 1003, "", ""));
        assertThat(beyond.attr("type")).isEqualTo("terminate");
        assertThat(beyond.attr("condition")).isEqualTo("item-not-found");
        assertThat(answer(request(sid, 1001, "", "")).attr("condition")).as("the session is gone")
                .isEqualTo("item-not-found");
    }

    @Test
    void requestsAreProcessedInRidOrderAndAResentOneGetsTheSameAnswer() throws Exception {
        server.account("rid-alice");
        try (BoshClient c = BoshClient.loggedIn(server.get(), "rid-alice", ServerExtension.password("rid-alice"),
                "web"); MessageInbox bob = server.inbox("rid-bob", "tcp")) {
            c.drop(); // from here on the requests are ours, by hand
            String sid = c.sid();
            long rid = c.nextRid();
            String to = "rid-bob@localhost/tcp";
            // rid+1 arrives first: it waits for rid, so "first" still reaches bob first.
            CompletableFuture<Element> later = CompletableFuture.supplyAsync(() -> call(request(sid, rid + 1, "",
                    "<message xmlns='jabber:client' to='" + to + "' type='chat'><body>second</body></message>")));
            Thread.sleep(300);
            assertThat(bob.poll(Duration.ofMillis(200))).as("held back until the gap is filled").isNull();
            Element first = answer(request(sid, rid, "", "<message xmlns='jabber:client' to='" + to
                    + "' type='chat'><body>first</body></message>"));
            assertThat(bob.next().getBody()).isEqualTo("first");
            assertThat(bob.next().getBody()).isEqualTo("second");
            bob.sendChat("rid-alice@localhost/web", "answer");
            Element answered = later.get();
            Element delivered = answered.elements().isEmpty() ? first : answered;
            assertThat(delivered.element("message", Namespaces.CLIENT).childText("body", Namespaces.CLIENT))
                    .isEqualTo("answer");
            // The client lost that answer: sending the same rid again gets it again (§14.3).
            long resent = delivered == first ? rid : rid + 1;
            assertThat(answer(request(sid, resent, "", "")).toXml()).isEqualTo(delivered.toXml());
            answer(request(sid, rid + 2, "type='terminate'", ""));
        }
    }

    private static Element call(String body) {
        try {
            return answer(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aHeldRequestIsAnsweredEmptyAfterItsWait() throws Exception {
        Element created = answer(creation(3000, "hold='1' wait='1'"));
        assertThat(created.attr("wait")).isEqualTo("1");
        long start = System.nanoTime();
        Element empty = answer(request(created.attr("sid"), 3001, "", ""));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(empty.attr("type")).isNull();
        assertThat(empty.elements()).isEmpty();
        answer(request(created.attr("sid"), 3002, "type='terminate'", ""));
    }

    @Test
    void theClientsTerminateEndsTheSessionAndContactsSeeItGo() throws Exception {
        server.account("term-alice");
        try (MessageInbox bob = server.inbox("term-bob", "tcp")) {
            BoshClient c = BoshClient.loggedIn(server.get(), "term-alice", ServerExtension.password("term-alice"),
                    "web");
            c.send("<message xmlns='jabber:client' to='term-bob@localhost/tcp' type='chat'><body>bye</body></message>");
            assertThat(bob.next().getBody()).isEqualTo("bye");
            String sid = c.sid();
            c.close();
            assertThat(c.terminate()).isNotNull();
            assertThat(c.terminate().attr("condition")).isNull();
            assertThat(answer(request(sid, c.nextRid(), "", "")).attr("condition")).isEqualTo("item-not-found");
        }
    }

    @Test
    void aStreamErrorEndsTheSessionAsARemoteStreamError() throws Exception {
        server.account("conf-alice");
        String pw = ServerExtension.password("conf-alice");
        try (BoshClient first = BoshClient.loggedIn(server.get(), "conf-alice", pw, "same")) {
            try (BoshClient second = BoshClient.loggedIn(server.get(), "conf-alice", pw, "same")) {
                Element error = first.expect(e -> e.is("error", Namespaces.STREAMS), "the stream error");
                assertThat(first.quietFor(Duration.ofSeconds(5))).isTrue(); // and then the session's end
                Element end = first.terminate();
                assertThat(end.attr("condition")).isEqualTo("remote-stream-error");
                assertThat(end.element("error", Namespaces.STREAMS).elementIn(Namespaces.STREAM_ERRORS).name())
                        .isEqualTo("conflict");
                assertThat(second.jid()).isEqualTo("conf-alice@localhost/same");
            }
        }
    }

    @Test
    void aSessionWithoutRequestsEndsAfterTheInactivityPeriod() throws Exception {
        server.account("idle-alice");
        try (MessageInbox bob = server.inbox("idle-bob", "tcp")) {
            BoshClient c = BoshClient.loggedIn(server.get(), "idle-alice", ServerExtension.password("idle-alice"),
                    "web");
            c.drop(); // no more requests: the browser tab lost its network
            long dropped = System.nanoTime();
            Duration gone = null;
            while (gone == null && System.nanoTime() - dropped < Duration.ofSeconds(20).toNanos()) {
                // While the session is bound a ping to it goes unanswered; once it has ended the server
                // answers for the resource that is gone (RFC 6121 §8.5.3.2.1).
                try {
                    bob.connection().createStanzaCollectorAndSend(new Ping(JidCreate.entityFullFrom(
                            "idle-alice@localhost/web"))).nextResultOrThrow(1000);
                } catch (SmackException.NoResponseException stillThere) {
                    continue;
                } catch (XMPPException.XMPPErrorException e) {
                    assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
                    gone = Duration.ofNanos(System.nanoTime() - dropped);
                }
            }
            assertThat(gone).as("ended by bosh.inactivity (5 s)").isNotNull()
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(4));
            assertThat(answer(request(c.sid(), c.nextRid(), "", "")).attr("condition")).isEqualTo("item-not-found");
        }
    }

    @Test
    void browsersUseBoshOnlyFromAllowedOriginsWithCors() throws Exception {
        HttpResponse<String> evil = post(creation(4000, ""), "https://evil.example");
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(evil.body()).contains("origin-not-allowed");

        HttpResponse<String> preflight = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://chat.example")
                .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("https://chat.example");
        assertThat(preflight.headers().firstValue("access-control-allow-methods").orElse("")).contains("POST");
        assertThat(preflight.headers().firstValue("access-control-allow-headers").orElse(""))
                .containsIgnoringCase("content-type");

        HttpResponse<String> ok = post(creation(4000, ""), "https://chat.example");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("access-control-allow-origin")).hasValue("https://chat.example");
        Element created = XmlStrings.parse(ok.body());
        answer(request(created.attr("sid"), 4001, "type='terminate'", ""));
    }
}
