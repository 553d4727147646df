package org.parley.cluster;

import org.parley.feature.offline.SqlOfflineStore;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * XEP-0198 in a cluster: a session resumes on the node that holds it, with what other nodes sent
 * it meanwhile; a resumption sent to another node fails cleanly and the client binds there
 * without losing anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterStreamManagementTest {
    private static final String SM = "urn:xmpp:sm:3";

    @TempDir
    static Path dir;
    ClusterTestNodes cluster;
    Server a;
    Server b;

    @BeforeAll
    void start() {
        cluster = ClusterTestNodes.create(dir);
        a = cluster.start("a", Map.of("PARLEY_C2S_DIRECT_TLS_PORT", "0"));
        b = cluster.start("b", Map.of("PARLEY_C2S_DIRECT_TLS_PORT", "0"));
        cluster.createUsers("sam", "tom", "uma", "vic", "wes", "xan");
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private RawStreamClient raw(Server node) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {cluster.trustManager()}, null);
        RawStreamClient c = RawStreamClient.directTls(node.directTlsPort(), ctx);
        c.openAndReadFeatures(ClusterTestNodes.DOMAIN);
        return c;
    }

    private RawStreamClient authenticated(Server node, String user) throws Exception {
        RawStreamClient c = raw(node);
        assertThat(c.authPlain(user, user + "-pw").name()).isEqualTo("success");
        c.restart(ClusterTestNodes.DOMAIN);
        return c;
    }

    private static Element body(RawStreamClient c, String body) {
        return c.expect(e -> e.is("message", Namespaces.CLIENT) && body.equals(e.childText("body", Namespaces.CLIENT)),
                "message " + body);
    }

    @Test
    void aSessionResumesOnItsNodeWithWhatAnotherNodeSentItMeanwhile() throws Exception {
        MessageInbox sam = MessageInbox.login(cluster.clients(a), "sam", "sam-pw", "phone");
        XMPPTCPConnection phone = sam.connection();
        BlockingQueue<Presence> samAtTom = new LinkedBlockingQueue<>();
        try (MessageInbox tom = MessageInbox.login(cluster.clients(b), "tom", "tom-pw", "desk")) {
            tom.connection().addSyncStanzaListener(p -> samAtTom.add((Presence) p),
                    p -> p instanceof Presence && p.getFrom() != null && p.getFrom().toString().startsWith("sam@"));
            assertThat(phone.isSmResumptionPossible()).isTrue();
            phone.instantShutdown();
            tom.sendChat("sam@localhost/phone", "sent from node b 1");
            tom.sendChat("sam@localhost", "sent from node b 2");
            tom.sync();

            phone.connect().login();
            assertThat(phone.streamWasResumed()).isTrue();
            assertThat(sam.next().getBody()).isEqualTo("sent from node b 1");
            assertThat(sam.next().getBody()).isEqualTo("sent from node b 2");
            tom.sendChat("sam@localhost/phone", "after");
            assertThat(sam.next().getBody()).isEqualTo("after");
            assertThat(samAtTom.poll(200, TimeUnit.MILLISECONDS)).as("no unavailable while detached").isNull();
        } finally {
            sam.close();
        }
    }

    @Test
    void aResumptionSentToAnotherNodeFailsAndTheClientBindsThereWithNothingLost() throws Exception {
        RawStreamClient phone = authenticated(a, "uma");
        phone.bind("phone");
        phone.send("<enable xmlns='" + SM + "' resume='true'/>");
        String id = phone.expect(e -> e.is("enabled", SM), "enabled").attr("id");
        phone.send("<presence/>");
        try (MessageInbox vic = MessageInbox.login(cluster.clients(b), "vic", "vic-pw", "desk")) {
            vic.sendChat("uma@localhost/phone", "unacked on node a");
            body(phone, "unacked on node a");
            phone.close(); // the network goes; the session waits on node a
            vic.sendChat("uma@localhost/phone", "while detached");
            vic.sync();

            try (RawStreamClient elsewhere = authenticated(b, "uma")) {
                elsewhere.send("<resume xmlns='" + SM + "' previd='" + id + "' h='0'/>");
                Element failed = elsewhere.expect(e -> e.is("failed", SM), "failed");
                assertThat(failed.elementIn("urn:ietf:params:xml:ns:xmpp-stanzas").name()).isEqualTo("item-not-found");
                assertThat(elsewhere.bind("phone").attr("type")).isEqualTo("result");
                elsewhere.send("<presence/>");
                // The session on node a was replaced: its unacked messages went to offline storage
                // (or straight here), in order.
                body(elsewhere, "unacked on node a");
                body(elsewhere, "while detached");
                vic.sendChat("uma@localhost/phone", "now on node b");
                body(elsewhere, "now on node b");
            }
        }
    }

    @Test
    void anAckForAStanzaToAnotherNodeWaitsUntilThatNodeHasItOrItIsStoredHere() throws Exception {
        // A node alive in Redis that listens to nothing: a stanza for it reaches nobody and falls
        // back to offline storage on the sending node.
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(ClusterTestNodes.REDIS);
        try (var redis = client.connect()) {
            redis.sync().psetex(cluster.prefix() + "n:ghost:alive", 60_000, "1");
            redis.sync().hset(cluster.prefix() + "u:wes@localhost", "r",
                    "ghost\nsid-1\n<presence xmlns='jabber:client'/>");
        } finally {
            client.shutdown();
        }
        try (MessageInbox xan = MessageInbox.login(cluster.clients(a), "xan", "xan-pw", "r")) {
            java.util.concurrent.CompletableFuture<Integer> storedAtAck = new java.util.concurrent.CompletableFuture<>();
            Message m = xan.connection().getStanzaFactory().buildMessageStanza()
                    .to(org.jxmpp.jid.impl.JidCreate.from("wes@localhost/r")).ofType(Message.Type.chat)
                    .setBody("to a node that is gone").build();
            xan.connection().addStanzaIdAcknowledgedListener(m.getStanzaId(),
                    s -> storedAtAck.complete(new SqlOfflineStore(a.database()).count("wes")));
            xan.connection().sendStanza(m);
            assertThat(storedAtAck.get(10, TimeUnit.SECONDS)).as("stored when the server acknowledged it").isEqualTo(1);
        }
    }
}
