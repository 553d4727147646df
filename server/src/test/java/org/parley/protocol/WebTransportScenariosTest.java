package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.testing.BoshClient;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.testing.StanzaClient;
import org.parley.testing.TestServer;
import org.parley.testing.WebSocketClient;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * The scenarios every transport must carry alike, each run over TCP, over WebSocket (RFC 7395)
 * and over BOSH (XEP-0206) by a hand-driven client, with the other party a Smack client over TCP: authentication and
 * chat, stream management resumption, MAM and carbons. The sessions behind both transports are
 * the same {@code C2sSession}; these prove the transports hand them the same stream.
 */
@Tag("nio") // run again on NIO too (server/pom.xml, nio-transport)
class WebTransportScenariosTest {
    private static final String SM = "urn:xmpp:sm:3";
    private static final String MAM = "urn:xmpp:mam:2";
    private static final String CARBONS = "urn:xmpp:carbons:2";
    private static final String FORWARD = "urn:xmpp:forward:0";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    enum Transport {
        TCP, WEBSOCKET, BOSH;

        StanzaClient bound(String user, String resource) throws Exception {
            server.account(user);
            String pw = ServerExtension.password(user);
            return switch (this) {
                case TCP -> RawStreamClient.loggedIn(server.get(), user, pw, resource);
                case WEBSOCKET -> WebSocketClient.loggedIn(server.get(), user, pw, resource);
                case BOSH -> BoshClient.loggedIn(server.get(), user, pw, resource);
            };
        }

        /** Authenticated and the stream reopened, not bound: where a resumption is sent. */
        StanzaClient authenticated(String user) throws Exception {
            String pw = ServerExtension.password(user);
            if (this == WEBSOCKET) {
                return WebSocketClient.authenticated(server.get(), user, pw);
            }
            if (this == BOSH) {
                return BoshClient.authenticated(server.get(), user, pw);
            }
            RawStreamClient c = RawStreamClient.directTls(server.get());
            c.openAndReadFeatures(TestServer.DOMAIN);
            c.requireSuccess(c.authPlain(user, pw));
            c.restart(TestServer.DOMAIN);
            return c;
        }

        String user(String name) {
            return name + "-" + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static Element message(StanzaClient c, String body) {
        return c.expect(e -> e.is("message", Namespaces.CLIENT) && body.equals(e.childText("body", Namespaces.CLIENT)),
                "message " + body);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void logsInAndChatsWithATcpClient(Transport transport) throws Exception {
        String alice = transport.user("chat-alice");
        String bob = transport.user("chat-bob");
        try (StanzaClient a = transport.bound(alice, "web"); MessageInbox b = server.inbox(bob, "tcp")) {
            assertThat(a.jid()).isEqualTo(alice + "@localhost/web");
            a.send("<message xmlns='jabber:client' to='" + bob + "@localhost/tcp' type='chat'><body>hi bob</body></message>");
            var got = b.next();
            assertThat(got.getBody()).isEqualTo("hi bob");
            assertThat(got.getFrom().toString()).isEqualTo(alice + "@localhost/web");
            b.sendChat(alice + "@localhost/web", "hi alice");
            assertThat(message(a, "hi alice").attr("from")).isEqualTo(bob + "@localhost/tcp");
            a.send("<iq xmlns='jabber:client' type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
            assertThat(a.expect(e -> "p1".equals(e.attr("id")), "ping result").attr("type")).isEqualTo("result");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aDroppedConnectionIsResumedWithTheUnackedStanzas(Transport transport) throws Exception {
        String alice = transport.user("res-alice");
        String bob = transport.user("res-bob");
        StanzaClient phone = transport.bound(alice, "phone");
        phone.send("<enable xmlns='" + SM + "' resume='true'/>");
        String id = phone.expect(e -> e.is("enabled", SM), "<enabled/>").attr("id");
        try (MessageInbox b = server.inbox(bob, "b")) {
            b.sendChat(alice + "@localhost/phone", "one");
            b.sendChat(alice + "@localhost/phone", "two");
            message(phone, "one");
            message(phone, "two");
            phone.send("<a xmlns='" + SM + "' h='1'/>");
            phone.send("<r xmlns='" + SM + "'/>");
            phone.expect(e -> e.is("a", SM), "<a/>"); // the server has taken the ack
            phone.drop(); // no <close/>: the network went away
            b.sendChat(alice + "@localhost/phone", "three");
            b.sync();

            try (StanzaClient back = transport.authenticated(alice)) {
                back.send("<resume xmlns='" + SM + "' previd='" + id + "' h='1'/>");
                Element resumed = back.expect(e -> e.is("resumed", SM), "<resumed/>");
                assertThat(resumed.attr("previd")).isEqualTo(id);
                assertThat(back.element().childText("body", Namespaces.CLIENT)).isEqualTo("two");
                assertThat(back.element().childText("body", Namespaces.CLIENT)).isEqualTo("three");
                back.send("<message xmlns='jabber:client' to='" + bob + "@localhost/b' type='chat'><body>back</body></message>");
                assertThat(b.next().getBody()).isEqualTo("back");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theArchiveIsQueriedOverTheTransport(Transport transport) throws Exception {
        String alice = transport.user("mam-alice");
        String bob = transport.user("mam-bob");
        try (StanzaClient a = transport.bound(alice, "web"); MessageInbox b = server.inbox(bob, "tcp")) {
            a.send("<message xmlns='jabber:client' to='" + bob + "@localhost' type='chat'><body>archived</body></message>");
            assertThat(b.next().getBody()).isEqualTo("archived");
            a.send("<iq xmlns='jabber:client' type='set' id='q1'><query xmlns='" + MAM + "' queryid='qid'/></iq>");
            Element result = a.expect(e -> e.is("message", Namespaces.CLIENT) && e.element("result", MAM) != null,
                    "a MAM result");
            Element forwarded = result.element("result", MAM).element("forwarded", FORWARD);
            assertThat(forwarded.element("message", Namespaces.CLIENT).childText("body", Namespaces.CLIENT))
                    .isEqualTo("archived");
            Element fin = a.expect(e -> "q1".equals(e.attr("id")), "the query's result");
            assertThat(fin.attr("type")).isEqualTo("result");
            assertThat(fin.element("fin", MAM)).isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void carbonsCopyWhatAnotherResourceSends(Transport transport) throws Exception {
        String alice = transport.user("cc-alice");
        String bob = transport.user("cc-bob");
        try (StanzaClient web = transport.bound(alice, "web");
             MessageInbox desktop = server.inbox(alice, "desktop");
             MessageInbox b = server.inbox(bob, "tcp")) {
            web.send("<iq xmlns='jabber:client' type='set' id='c1'><enable xmlns='" + CARBONS + "'/></iq>");
            assertThat(web.expect(e -> "c1".equals(e.attr("id")), "enable result").attr("type")).isEqualTo("result");
            desktop.sendChat(bob + "@localhost/tcp", "from the desktop");
            assertThat(b.next().getBody()).isEqualTo("from the desktop");
            Element carbon = web.expect(e -> e.element("sent", CARBONS) != null, "a sent carbon");
            Element copied = carbon.element("sent", CARBONS).element("forwarded", FORWARD)
                    .element("message", Namespaces.CLIENT);
            assertThat(copied.childText("body", Namespaces.CLIENT)).isEqualTo("from the desktop");
            assertThat(web.quietFor(Duration.ofMillis(200))).isTrue();
        }
    }
}
