package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.Epoll;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.eventloop.EventLoops.Transport;
import org.parley.testing.BoshClient;
import org.parley.testing.Clients;
import org.parley.testing.RawStreamClient;
import org.parley.testing.StanzaClient;
import org.parley.testing.TestServer;
import org.parley.testing.WebSocketClient;
import org.parley.xml.Element;

/**
 * network.transport: the server runs on Linux's epoll by default where Netty's native transport
 * loads, on the JDK's NIO when set to {@code nio}, and every way in works the same on both:
 * STARTTLS (Smack), direct TLS, WebSocket and BOSH clients exchange messages through it.
 */
class NetworkTransportTest {

    @ParameterizedTest
    @ValueSource(strings = {"auto", "nio"})
    void everyTransportOfClientsWorksOnTheChosenSocketTransport(String setting, @TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("PARLEY_NETWORK_TRANSPORT", setting))) {
            Transport expected = setting.equals("nio") || !Epoll.isAvailable() ? Transport.NIO : Transport.EPOLL;
            assertThat(server.server().transport()).isEqualTo(expected);
            for (String u : List.of("smack", "tls", "web", "bosh")) {
                server.createUser(u, u + "-pw");
            }
            XMPPTCPConnection smack = new Clients(server).login("smack", "smack-pw", "s");
            try (StanzaClient tls = RawStreamClient.loggedIn(server, "tls", "tls-pw", "r");
                 StanzaClient web = WebSocketClient.loggedIn(server, "web", "web-pw", "r");
                 StanzaClient bosh = BoshClient.loggedIn(server, "bosh", "bosh-pw", "r");
                 StanzaCollector inbox = smack.createStanzaCollector(StanzaTypeFilter.MESSAGE)) {
                for (StanzaClient c : List.of(tls, web, bosh)) {
                    smack.sendStanza(MessageBuilder.buildMessage().to(JidCreate.from(c.jid()))
                            .ofType(Message.Type.chat).setBody("to " + c.jid()).build());
                    Element got = c.expect(e -> e.is("message", "jabber:client"), "the message from smack");
                    assertThat(got.childText("body", "jabber:client")).isEqualTo("to " + c.jid());
                    c.send("<message to='" + smack.getUser() + "' type='chat'><body>from " + c.jid() + "</body></message>");
                    Message back = inbox.nextResult(10_000);
                    assertThat(back).as("the answer from %s", c.jid()).isNotNull();
                    assertThat(back.getBody()).isEqualTo("from " + c.jid());
                }
            } finally {
                smack.disconnect();
            }
        }
    }

    /**
     * The nio-transport execution (server/pom.xml) really runs its tests on NIO, and the rest of
     * the suite on the default: TestServer follows {@code -Dparley.transport}.
     */
    @Test
    @Tag("nio")
    void testServersRunOnTheTransportTheSuiteAsksFor(@TempDir Path dir) {
        String asked = System.getProperty("parley.transport", "auto");
        try (TestServer server = TestServer.start(dir)) {
            Transport expected = asked.equals("nio") || !Epoll.isAvailable() ? Transport.NIO : Transport.EPOLL;
            assertThat(server.server().transport()).isEqualTo(expected);
        }
    }
}
