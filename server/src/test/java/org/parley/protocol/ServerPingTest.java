package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.xml.Element;
import org.parley.testing.RawStreamClient;
import org.parley.testing.RawTextClient;
import org.parley.testing.ServerExtension;

/**
 * XEP-0199 §4.1 server-to-client pings: with a one-second idle period and a one-second answer
 * timeout, clients that answer stay, clients that do not are closed with connection-timeout.
 */
class ServerPingTest {
    private static final Pattern PING = Pattern.compile(
            "<iq[^>]*\\bid=['\"]([^'\"]+)['\"][^>]*><ping xmlns=['\"]urn:xmpp:ping['\"]\\s*/>");

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of("PARLEY_PING_IDLE", "1s", "PARLEY_PING_TIMEOUT", "1s"));

    @Test
    void aSmackClientAnswersThePingsAndStaysConnectedPastSeveralIdlePeriods() throws Exception {
        server.account("sp-smack");
        XMPPTCPConnection c = server.clients().login("sp-smack", "sp-smack-pw");
        try {
            // Smack hides IQ requests from stanza listeners, so watch the pongs it sends instead.
            BlockingQueue<IQ> pongs = new LinkedBlockingQueue<>();
            c.addStanzaSendingListener(s -> pongs.add((IQ) s), s -> s instanceof IQ iq
                    && iq.getType() == IQ.Type.result && iq.getTo() != null && iq.getTo().toString().equals("localhost"));

            for (int i = 0; i < 3; i++) {
                IQ pong = pongs.poll(3, TimeUnit.SECONDS);
                assertThat(pong).as("answer to server ping %d", i + 1).isNotNull();
                assertThat(pong.getStanzaId()).startsWith("s");
            }

            assertThat(c.isConnected()).isTrue();
            assertThat(PingManager.getInstanceFor(c).pingMyServer(false)).isTrue();
        } finally {
            c.disconnect();
        }
    }

    @Test
    void aRawClientThatAnswersThePingStaysConnected() throws Exception {
        server.account("sp-answers");
        try (RawTextClient raw = RawTextClient.login(server.get(), "sp-answers", "sp-answers-pw", "raw")) {
            for (int i = 0; i < 3; i++) {
                String id = pingId(raw.expect("</iq>", Duration.ofSeconds(3)));
                raw.send("<iq type='result' to='localhost' id='" + id + "'/>");
            }

            assertThat(raw.isClosedByServer()).isFalse();
        }
    }

    @Test
    void aBoundClientThatNeverAnswersIsClosedWithConnectionTimeout() throws Exception {
        server.account("sp-deaf");
        server.account("sp-bystander");
        XMPPTCPConnection bystander = server.clients().login("sp-bystander", "sp-bystander-pw");
        try (RawTextClient raw = RawTextClient.login(server.get(), "sp-deaf", "sp-deaf-pw", "raw")) {
            String ping = raw.expect("</iq>", Duration.ofSeconds(3));
            assertThat(ping).contains("type=\"get\"").contains("to=\"sp-deaf@localhost/raw\"");

            String end = raw.awaitClosed(Duration.ofSeconds(5));

            assertThat(end).contains("<stream:error><connection-timeout xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>")
                    .endsWith("</stream:stream>");
            // the server goes on serving others
            assertThat(PingManager.getInstanceFor(bystander).pingMyServer(false)).isTrue();
        } finally {
            bystander.disconnect();
        }
    }

    /** Server ping ids are guessable; an answer counts only from the pinged client (RFC 6120 §8.1.2.1). */
    @Test
    void anotherClientCannotAnswerAPingInTheSilentClientsPlace() throws Exception {
        server.account("sp-silent");
        server.account("sp-spoofer");
        try (RawTextClient silent = RawTextClient.login(server.get(), "sp-silent", "sp-silent-pw", "raw");
             RawTextClient spoofer = RawTextClient.login(server.get(), "sp-spoofer", "sp-spoofer-pw", "raw")) {
            // The spoofer answers every ping the silent client gets, for longer than a ping timeout.
            long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (!silent.isClosedByServer() && System.nanoTime() < deadline) {
                String ping = silent.poll("</iq>", Duration.ofMillis(200));
                if (ping != null) {
                    spoofer.send("<iq type='result' to='localhost' id='" + pingId(ping) + "'/>");
                }
            }

            assertThat(silent.awaitClosed(Duration.ofSeconds(1))).contains("<connection-timeout");
        }
    }

    @Test
    void anUnauthenticatedStreamThatStaysSilentIsClosed() throws Exception {
        try (RawTextClient raw = RawTextClient.connect(server.get())) {
            raw.openStream();
            raw.expect("</stream:features>");

            String end = raw.awaitClosed(Duration.ofSeconds(4));

            assertThat(end).contains("<connection-timeout xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>")
                    .endsWith("</stream:stream>");
        }
    }

    @Test
    void aConnectionThatNeverOpensAStreamIsClosedWithAHeaderThenTheError() throws Exception {
        try (RawTextClient raw = RawTextClient.connect(server.get())) {
            String all = raw.awaitClosed(Duration.ofSeconds(4));

            assertThat(all).startsWith("<?xml version='1.0'?><stream:stream")
                    .contains("<connection-timeout xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>")
                    .endsWith("</stream:stream>");
        }
    }

    /**
     * XEP-0352 with the keepalive: the server's own ping is written straight to the session, not
     * through the DELIVER hooks, so an inactive client is not woken for what CSI holds; only the
     * ping goes out, and what was held waits for {@code <active/>}.
     */
    @Test
    void theKeepalivePingDoesNotFlushWhatAnInactiveClientHasHeld() throws Exception {
        String csi = "urn:xmpp:csi:0";
        String chatStates = "http://jabber.org/protocol/chatstates";
        server.account("sp-csi");
        server.account("sp-csi-bob");
        try (RawStreamClient alice = RawStreamClient.loggedIn(server.get(), "sp-csi", "sp-csi-pw", "phone");
             RawStreamClient bob = RawStreamClient.loggedIn(server.get(), "sp-csi-bob", "sp-csi-bob-pw", "desk")) {
            // Inactive before bob's chat state arrives: the answer to alice's own ping comes after it.
            alice.send("<inactive xmlns='" + csi + "'/><iq type='get' id='a1'><ping xmlns='urn:xmpp:ping'/></iq>");
            alice.expect(e -> "a1".equals(e.attr("id")), "alice's ping answered");
            bob.send("<message to='sp-csi@localhost/phone' type='chat'><composing xmlns='" + chatStates
                    + "'/></message><iq type='get' id='b1'><ping xmlns='urn:xmpp:ping'/></iq>");
            bob.expect(e -> "b1".equals(e.attr("id")), "bob's ping answered"); // the chat state was routed

            Element first = alice.element();
            assertThat(first.element("ping", "urn:xmpp:ping")).as("the server's ping comes alone: " + first.toXml())
                    .isNotNull();
            alice.send("<iq type='result' to='localhost' id='" + first.attr("id") + "'/>");
            // Shorter than the idle period, which the answer just restarted: no second ping yet.
            assertThat(alice.quietFor(Duration.ofMillis(500))).as("nothing held came out after it").isTrue();

            alice.send("<active xmlns='" + csi + "'/>");
            Element held = alice.element();
            assertThat(held.name()).isEqualTo("message");
            assertThat(held.element("composing", chatStates)).as("held until active").isNotNull();
        }
    }

    private static String pingId(String iq) {
        Matcher m = PING.matcher(iq);
        assertThat(m.find()).as("a ping in %s", iq).isTrue();
        return m.group(1);
    }
}
