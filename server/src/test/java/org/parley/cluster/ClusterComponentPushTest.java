package org.parley.cluster;

import org.parley.feature.push.SqlPushStore;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.push_notifications.PushNotificationsManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.Server;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawComponentClient;
import org.parley.xml.Element;

/**
 * External components (XEP-0114) and push (XEP-0357) across nodes: a component connected to node
 * a serves users of node b, and a message arriving on node b for an offline user is pushed to the
 * app server connected to node a; the app server's error disables the registration in PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterComponentPushTest {
    private static final String ACCEPT = RawComponentClient.ACCEPT;
    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final Map<String, String> COMPONENTS = Map.of(
            "PARLEY_COMPONENTS_PORT", "0",
            "PARLEY_COMPONENTS_SERVICES", "bot.localhost=bot-secret,push.localhost=push-secret");

    @TempDir
    static Path dir;
    ClusterTestNodes cluster;
    Server a;
    Server b;

    @BeforeAll
    void start() {
        cluster = ClusterTestNodes.create(dir);
        a = cluster.start("a", COMPONENTS);
        b = cluster.start("b", COMPONENTS);
        cluster.createUsers("alice", "bob", "carol", "dave");
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private MessageInbox login(Server node, String user, String resource) throws Exception {
        return MessageInbox.login(cluster.clients(node), user, user + "-pw", resource);
    }

    @Test
    void aComponentOnOneNodeServesUsersOfAnother() throws Exception {
        try (RawComponentClient bot = RawComponentClient.connect(a.componentPort(), "bot.localhost", "bot-secret");
             MessageInbox alice = login(b, "alice", "phone")) {
            alice.sendChat("echo@bot.localhost", "via the bus");
            Element m = bot.expect(e -> e.is("message", ACCEPT), "the message from node b");
            assertThat(m.attr("from")).isEqualTo("alice@localhost/phone");
            assertThat(m.childText("body", ACCEPT)).isEqualTo("via the bus");

            bot.send("<message from='echo@bot.localhost' to='alice@localhost/phone' type='chat'><body>back</body></message>");
            Message back = alice.next();
            assertThat(back.getFrom().toString()).isEqualTo("echo@bot.localhost");
            assertThat(back.getBody()).isEqualTo("back");

            // One connection per domain across the cluster.
            try (RawComponentClient twin = RawComponentClient.unauthenticated(b.componentPort(), "bot.localhost")) {
                twin.handshake(twin.open().id(), "bot-secret");
                assertThat(twin.expectStreamError()).isEqualTo("conflict");
            }
        }
        // Gone from node a: node b's users get service-unavailable.
        try (MessageInbox carol = login(b, "carol", "desk")) {
            Message bounce = null;
            for (int i = 0; i < 50 && bounce == null; i++) {
                carol.sendChat("bot.localhost", "anyone?");
                Message m = carol.poll(Duration.ofMillis(100));
                if (m != null && m.getType() == Message.Type.error) {
                    bounce = m;
                }
            }
            assertThat(bounce).isNotNull();
            assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
        }
    }

    @Test
    void aMessageArrivingOnOneNodeIsPushedToTheAppServerOnAnother() throws Exception {
        try (RawComponentClient app = RawComponentClient.connect(a.componentPort(), "push.localhost", "push-secret")) {
            XMPPTCPConnection phone = new XMPPTCPConnection(cluster.clients(b).builder()
                    .setUsernameAndPassword("dave", "dave-pw").setResource("phone").build());
            phone.setUseStreamManagement(false);
            phone.setReplyTimeout(5000);
            phone.connect().login();
            HashMap<String, String> options = new HashMap<>();
            options.put("secret", "abc");
            assertThat(PushNotificationsManager.getInstanceFor(phone).enable(JidCreate.from("push.localhost"), "n-1",
                    options)).isTrue();
            phone.disconnect();

            try (MessageInbox bob = login(b, "bob", "desk")) {
                bob.sendChat("dave@localhost", "first");
                Element iq = app.expect(e -> e.is("iq", ACCEPT) && e.element("pubsub", PUBSUB) != null, "a publish");
                assertThat(iq.attr("from")).isEqualTo("dave@localhost");
                Map<String, String> summary = new LinkedHashMap<>();
                Element form = iq.element("pubsub", PUBSUB).element("publish", PUBSUB).element("item", PUBSUB)
                        .element("notification", "urn:xmpp:push:0").element("x", "jabber:x:data");
                for (Element f : form.elements("field", "jabber:x:data")) {
                    summary.put(f.attr("var"), f.childText("value", "jabber:x:data"));
                }
                assertThat(summary).containsEntry("message-count", "1")
                        .containsEntry("last-message-sender", "bob@localhost/desk");

                // The error reaches node a, which disables the registration for every node.
                app.error(iq, "not-authorized", "auth");
                long until = System.currentTimeMillis() + 5000;
                while (!new SqlPushStore(b.database()).list("dave").isEmpty() && System.currentTimeMillis() < until) {
                    Thread.sleep(20);
                }
                assertThat(new SqlPushStore(b.database()).list("dave")).isEmpty();

                bob.sendChat("dave@localhost", "second");
                bob.sync();
                assertThat(app.quietFor(Duration.ofMillis(1500))).as("no push once disabled").isTrue();
            }
        }
    }
}
