package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.BoshClient;
import org.parley.testing.MessageInbox;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;

/**
 * XEP-0124's rules on how often a client may send requests and how long it may stay away, with
 * the server's default bosh.polling (2 s), bosh.maxPause (2 min) and bosh.maxHold (1): the session
 * creation response announces them (§7.2), empty requests too often end the session with
 * {@code policy-violation} (§11, polling sessions §12), and a pause answers what is held and lets
 * the client stay away past the inactivity period (§10).
 */
class BoshActivityTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of("PARLEY_BOSH_INACTIVITY", "5s"));

    private static Element post(String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(BoshClient.url(server.get()))
                .header("Content-Type", "text/xml; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return XmlStrings.parse(r.body());
    }

    private static CompletableFuture<Element> postLater(String body) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return post(body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Element create(long rid, int hold) throws Exception {
        Element created = post("<body xmlns='" + BoshClient.NS + "' xmlns:xmpp='" + BoshClient.XBOSH + "' rid='" + rid
                + "' to='" + TestServer.DOMAIN + "' xmpp:version='1.0' wait='5' hold='" + hold + "'/>");
        assertThat(created.attr("sid")).isNotNull();
        return created;
    }

    private static String empty(Element created, long rid, String extra) {
        return "<body xmlns='" + BoshClient.NS + "' sid='" + created.attr("sid") + "' rid='" + rid + "' " + extra + "/>";
    }

    @Test
    void theCreationResponseAnnouncesThePollingIntervalAndTheLongestPause() throws Exception {
        Element created = create(10, 1);
        assertThat(created.attr("polling")).as("bosh.polling").isEqualTo("2");
        assertThat(created.attr("maxpause")).as("bosh.maxPause").isEqualTo("120");
        assertThat(created.attr("inactivity")).isEqualTo("5");
        post(empty(created, 11, "type='terminate'"));
    }

    @Test
    void aSecondEmptyRequestBesideAWaitingOneWithinThePollingIntervalIsOveractivity() throws Exception {
        Element created = create(20, 1);
        CompletableFuture<Element> waiting = postLater(empty(created, 21, ""));
        Thread.sleep(300); // held by now
        Element second = post(empty(created, 22, ""));
        assertThat(second.attr("type")).isEqualTo("terminate");
        assertThat(second.attr("condition")).as("§11").isEqualTo("policy-violation");
        assertThat(waiting.get().attr("condition")).as("the held request learns it too").isEqualTo("policy-violation");
        assertThat(post(empty(created, 23, "")).attr("condition")).as("the session is over").isEqualTo("item-not-found");
    }

    @Test
    void aClientWaitingWithOneEmptyRequestMaySendStanzasInOthers() throws Exception {
        server.account("busy");
        try (BoshClient bosh = BoshClient.loggedIn(server.get(), "busy", ServerExtension.password("busy"), "web")) {
            // The test client keeps one empty request waiting and sends each stanza in one of its own.
            for (int i = 0; i < 5; i++) {
                bosh.send("<iq xmlns='jabber:client' type='get' id='p" + i + "'><ping xmlns='urn:xmpp:ping'/></iq>");
                String id = "p" + i;
                assertThat(bosh.expect(e -> id.equals(e.attr("id")), "the pong").attr("type")).isEqualTo("result");
            }
            assertThat(bosh.terminate()).isNull();
        }
    }

    @Test
    void aPollingSessionPollingFasterThanAllowedIsCutOffAndOneThatWaitsIsNot() throws Exception {
        Element created = create(30, 0); // hold 0: a polling session (§12), every request answered at once
        assertThat(created.attr("hold")).isEqualTo("0");
        assertThat(created.attr("requests")).isEqualTo("1");
        Element first = post(empty(created, 31, ""));
        assertThat(first.attr("type")).as("answered at once, empty").isNull();
        Thread.sleep(2_100); // bosh.polling
        assertThat(post(empty(created, 32, "")).attr("type")).as("polled after the interval").isNull();
        Element tooSoon = post(empty(created, 33, ""));
        assertThat(tooSoon.attr("condition")).as("§12: polled again at once after an empty answer")
                .isEqualTo("policy-violation");
    }

    @Test
    void aPauseLongerThanMaxPauseIsRefused() throws Exception {
        Element created = create(40, 1);
        Element paused = post(empty(created, 41, "pause='121'"));
        assertThat(paused.attr("condition")).isEqualTo("policy-violation");
    }

    @Test
    void aPausedClientMayStayAwayPastTheInactivityPeriodAndFindsWhatCameMeanwhile() throws Exception {
        server.account("pauser");
        try (MessageInbox bob = server.inbox("pause-bob", "tcp");
             BoshClient bosh = BoshClient.loggedIn(server.get(), "pauser", ServerExtension.password("pauser"), "web")) {
            bosh.pause(9); // §10: the held request is answered at once, and none is sent for a while
            bob.sendChat("pauser@localhost/web", "while you were away");
            Thread.sleep(7_000); // past bosh.inactivity (5 s): without the pause the session would be over
            bosh.resume();
            Element message = bosh.expect(e -> e.is("message", "jabber:client"), "the message sent during the pause");
            assertThat(message.childText("body", "jabber:client")).isEqualTo("while you were away");
            assertThat(bosh.terminate()).isNull();
        }
    }
}
