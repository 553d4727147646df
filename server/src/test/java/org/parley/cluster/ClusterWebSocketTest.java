package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.testing.MessageInbox;
import org.parley.testing.WebSocketClient;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/** A WebSocket (RFC 7395) user on one node and a TCP user on another chat as any two users of the cluster. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterWebSocketTest {
    @TempDir
    static Path dir;
    ClusterTestNodes cluster;
    Server a;
    Server b;

    @BeforeAll
    void start() {
        cluster = ClusterTestNodes.create(dir);
        a = cluster.start("a", Map.of("PARLEY_HTTP_PORT", "0"));
        b = cluster.start("b");
        cluster.createUser("wsalice", "wsalice-pw");
        cluster.createUser("tcpbob", "tcpbob-pw");
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aWebSocketUserOnOneNodeChatsWithATcpUserOnAnother() throws Exception {
        try (WebSocketClient alice = WebSocketClient.loggedIn(WebSocketClient.url(a), "wsalice", "wsalice-pw", "web");
             MessageInbox bob = MessageInbox.login(cluster.clients(b), "tcpbob", "tcpbob-pw", "tcp")) {
            alice.send("<presence xmlns='jabber:client'/>"); // available: a message to the bare JID reaches this session
            alice.send("<message xmlns='jabber:client' to='tcpbob@localhost/tcp' type='chat'><body>from the browser</body></message>");
            Message m = bob.next();
            assertThat(m.getBody()).isEqualTo("from the browser");
            assertThat(m.getFrom().toString()).isEqualTo("wsalice@localhost/web");

            bob.sendChat("wsalice@localhost", "from the desktop");
            Element reply = alice.expect(e -> e.is("message", Namespaces.CLIENT)
                    && "from the desktop".equals(e.childText("body", Namespaces.CLIENT)), "bob's reply");
            assertThat(reply.attr("from")).isEqualTo("tcpbob@localhost/tcp");
        }
    }
}
