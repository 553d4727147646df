package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.iqversion.VersionManager;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.jivesoftware.smackx.disco.packet.DiscoverItems;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawComponentClient;
import org.parley.testing.ServerExtension;
import org.parley.xml.Element;
import org.parley.xml.StreamHeader;

/**
 * External components (XEP-0114): the handshake and its failures, and stanzas both ways between
 * Smack users and a raw component.
 */
@Tag("nio") // run again on NIO too (server/pom.xml, nio-transport)
class ComponentTest {
    private static final String ACCEPT = RawComponentClient.ACCEPT;

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_COMPONENTS_PORT", "0",
            "PARLEY_COMPONENTS_SERVICES", "bot.localhost=s3cret,gateway.localhost=other"));

    private static int port() {
        return server.get().server().componentPort();
    }

    @Test
    void serverAnswersTheHeaderWithAStreamIdAndTheDomain() throws Exception {
        try (RawComponentClient c = RawComponentClient.unauthenticated(port(), "bot.localhost")) {
            StreamHeader h = c.open();
            assertThat(h.namespace()).isEqualTo(ACCEPT);
            assertThat(h.from()).isEqualTo("bot.localhost");
            assertThat(h.id()).isNotBlank();
        }
    }

    @Test
    void aWrongSecretIsNotAuthorized() throws Exception {
        try (RawComponentClient c = RawComponentClient.unauthenticated(port(), "bot.localhost")) {
            StreamHeader h = c.open();
            c.handshake(h.id(), "wrong");
            assertThat(c.expectStreamError()).isEqualTo("not-authorized");
        }
    }

    @Test
    void theDigestMustBeOfThisStreamsId() throws Exception {
        try (RawComponentClient c = RawComponentClient.unauthenticated(port(), "bot.localhost")) {
            c.open();
            c.handshake("some-other-stream", "s3cret");
            assertThat(c.expectStreamError()).isEqualTo("not-authorized");
        }
    }

    @Test
    void anUnconfiguredDomainIsHostUnknown() throws Exception {
        try (RawComponentClient c = RawComponentClient.unauthenticated(port(), "nobody.localhost")) {
            c.send("<?xml version='1.0'?><stream:stream xmlns='" + ACCEPT
                    + "' xmlns:stream='http://etherx.jabber.org/streams' to='nobody.localhost'>");
            assertThat(c.expectStreamError()).isEqualTo("host-unknown");
        }
    }

    @Test
    void aSecondConnectionForAConnectedDomainIsAConflictAndTheFirstStays() throws Exception {
        try (RawComponentClient first = RawComponentClient.connect(port(), "bot.localhost", "s3cret");
             RawComponentClient second = RawComponentClient.unauthenticated(port(), "bot.localhost");
             MessageInbox alice = server.inbox("conflict-alice", "desk")) {
            StreamHeader h = second.open();
            second.handshake(h.id(), "s3cret");
            assertThat(second.expectStreamError()).isEqualTo("conflict");

            alice.sendChat("bot.localhost", "still there?");
            Element m = first.expect(e -> e.is("message", ACCEPT), "the message");
            assertThat(m.childText("body", ACCEPT)).isEqualTo("still there?");
        }
    }

    @Test
    void aUserMessageToTheComponentDomainReachesTheComponent() throws Exception {
        try (RawComponentClient bot = RawComponentClient.connect(port(), "bot.localhost", "s3cret");
             MessageInbox alice = server.inbox("route-alice", "desk")) {
            alice.sendChat("echo@bot.localhost/x", "hello bot");
            Element m = bot.expect(e -> e.is("message", ACCEPT), "the message");
            assertThat(m.attr("from")).isEqualTo("route-alice@localhost/desk");
            assertThat(m.attr("to")).isEqualTo("echo@bot.localhost/x");
            assertThat(m.childText("body", ACCEPT)).as("the body in the stream's namespace").isEqualTo("hello bot");
        }
    }

    @Test
    void aComponentMessageReachesTheUser() throws Exception {
        try (RawComponentClient bot = RawComponentClient.connect(port(), "bot.localhost", "s3cret");
             MessageInbox alice = server.inbox("route-bob", "desk")) {
            bot.send("<message from='echo@bot.localhost/x' to='route-bob@localhost' type='chat'><body>hi there</body></message>");
            Message m = alice.next();
            assertThat(m.getFrom().toString()).isEqualTo("echo@bot.localhost/x");
            assertThat(m.getBody()).isEqualTo("hi there");
        }
    }

    @Test
    void anIqRoundTripBetweenUserAndComponent() throws Exception {
        try (RawComponentClient bot = RawComponentClient.connect(port(), "bot.localhost", "s3cret")) {
            XMPPTCPConnection alice = server.login("iq-alice");
            try {
                CompletableFuture<Version> version = CompletableFuture.supplyAsync(() -> {
                    try {
                        return VersionManager.getInstanceFor(alice).getVersion(JidCreate.from("bot.localhost"));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                Element iq = bot.expect(e -> e.is("iq", ACCEPT), "the version query");
                assertThat(iq.attr("from")).isEqualTo("iq-alice@localhost/test");
                bot.send("<iq type='result' id='" + iq.attr("id") + "' from='bot.localhost' to='" + iq.attr("from")
                        + "'><query xmlns='jabber:iq:version'><name>Bot</name><version>1</version></query></iq>");
                assertThat(version.get(5, TimeUnit.SECONDS).getName()).isEqualTo("Bot");
            } finally {
                alice.disconnect();
            }
        }
    }

    @Test
    void theComponentMayQueryTheServer() throws Exception {
        try (RawComponentClient bot = RawComponentClient.connect(port(), "bot.localhost", "s3cret")) {
            bot.send("<iq type='get' id='q1' from='bot.localhost' to='localhost'>"
                    + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
            Element reply = bot.expect(e -> e.is("iq", ACCEPT) && "q1".equals(e.attr("id")), "the answer");
            assertThat(reply.attr("type")).isEqualTo("result");
            assertThat(reply.attr("to")).isEqualTo("bot.localhost");
        }
    }

    @Test
    void aFromOutsideItsDomainEndsTheStream() throws Exception {
        try (RawComponentClient bot = RawComponentClient.connect(port(), "bot.localhost", "s3cret")) {
            bot.send("<message from='mallory@localhost' to='someone@localhost'><body>x</body></message>");
            assertThat(bot.expectStreamError()).isEqualTo("invalid-from");
        }
    }

    @Test
    void aConfiguredButDisconnectedComponentIsServiceUnavailable() throws Exception {
        try (MessageInbox alice = server.inbox("down-alice", "desk")) {
            alice.sendChat("gateway.localhost", "anyone?");
            Message bounce = alice.next();
            assertThat(bounce.getType()).isEqualTo(Message.Type.error);
            assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
        }
    }

    @Test
    void anUnknownDomainStillIsRemoteServerNotFound() throws Exception {
        try (MessageInbox alice = server.inbox("remote-alice", "desk")) {
            alice.sendChat("someone@elsewhere.example", "anyone?");
            Message bounce = alice.next();
            assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.remote_server_not_found);
        }
    }

    @Test
    void afterDisconnectingTheComponentIsUnreachableAgain() throws Exception {
        try (MessageInbox alice = server.inbox("gone-alice", "desk")) {
            RawComponentClient bot = RawComponentClient.connect(port(), "bot.localhost", "s3cret");
            bot.close();
            Message bounce = null;
            for (int i = 0; i < 50 && bounce == null; i++) {
                alice.sendChat("bot.localhost", "ping " + i);
                Message m = alice.poll(Duration.ofMillis(100));
                if (m != null && m.getType() == Message.Type.error) {
                    bounce = m;
                }
            }
            assertThat(bounce).as("a bounce once the component is gone").isNotNull();
            assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
            // and it may connect again
            RawComponentClient.connect(port(), "bot.localhost", "s3cret").close();
        }
    }

    @Test
    void serverItemsListTheComponents() throws Exception {
        XMPPTCPConnection alice = server.login("items-alice");
        try {
            DiscoverItems items = ServiceDiscoveryManager.getInstanceFor(alice)
                    .discoverItems(JidCreate.domainBareFrom("localhost"));
            assertThat(items.getItems()).extracting(i -> i.getEntityID().toString())
                    .contains("bot.localhost", "gateway.localhost");
        } finally {
            alice.disconnect();
        }
    }
}
