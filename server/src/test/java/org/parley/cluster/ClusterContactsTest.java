package org.parley.cluster;

import org.parley.feature.last.SqlLastActivityStore;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.blocking.BlockingCommandManager;
import org.jivesoftware.smackx.carbons.CarbonManager;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension;
import org.jivesoftware.smackx.iqlast.LastActivityManager;
import org.jxmpp.jid.Jid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.store.RosterItem;
import org.parley.store.Subscription;
import org.parley.testing.MessageInbox;

/**
 * Carbons, blocking and last activity with the user's resources and contacts spread over the
 * nodes of a three-node cluster (real PostgreSQL and Redis).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterContactsTest {
    @TempDir
    static Path dir;
    ClusterTestNodes cluster;
    Server a;
    Server b;
    Server c;

    @BeforeAll
    void start() {
        cluster = ClusterTestNodes.create(dir);
        a = cluster.start("a");
        b = cluster.start("b");
        c = cluster.start("c");
        cluster.createUsers("alice", "bob", "carol", "mallory", "dave", "erin");
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

    private static Jid jid(String s) {
        return MessageInbox.jid(s);
    }

    @Test
    void carbonsReachTheEnabledDeviceOnAnotherNodeOnly() throws Exception {
        try (MessageInbox phone = login(a, "alice", "phone");
             MessageInbox laptop = login(b, "alice", "laptop");
             MessageInbox tablet = login(c, "alice", "tablet");
             MessageInbox bob = login(c, "bob", "desk")) {
            CarbonManager.getInstanceFor(laptop.connection()).enableCarbons();

            phone.sendChat("bob@localhost/desk", "sent on node a");
            assertThat(bob.next().getBody()).isEqualTo("sent on node a");
            CarbonExtension sent = CarbonExtension.from(laptop.next());
            assertThat(sent.getDirection()).isEqualTo(CarbonExtension.Direction.sent);
            assertThat(sent.getForwarded().getForwardedStanza().getBody()).isEqualTo("sent on node a");

            bob.sendChat("alice@localhost/phone", "for the phone on node a");
            assertThat(phone.next().getBody()).isEqualTo("for the phone on node a");
            CarbonExtension received = CarbonExtension.from(laptop.next());
            assertThat(received.getDirection()).isEqualTo(CarbonExtension.Direction.received);
            assertThat(received.getForwarded().getForwardedStanza().getBody()).isEqualTo("for the phone on node a");

            assertThat(tablet.poll(Duration.ofMillis(400))).as("the tablet never enabled carbons").isNull();
        }
    }

    @Test
    void blockMadeOnOneNodeHoldsOnTheOthers() throws Exception {
        try (MessageInbox carol = login(a, "carol", "phone");
             MessageInbox carolDesk = login(c, "carol", "desk");
             MessageInbox mallory = login(b, "mallory", "r")) {
            // Node b routes mallory's message and so caches carol's (empty) block list.
            mallory.sendChat("carol@localhost/phone", "hello");
            assertThat(carol.next().getBody()).isEqualTo("hello");

            BlockingCommandManager.getInstanceFor(carolDesk.connection()).getBlockList();
            BlockingQueue<List<Jid>> pushed = new LinkedBlockingQueue<>();
            BlockingCommandManager.getInstanceFor(carolDesk.connection()).addJidsBlockedListener(pushed::add);
            BlockingCommandManager.getInstanceFor(carol.connection()).blockContacts(List.of(jid("mallory@localhost")));
            assertThat(pushed.poll(5, TimeUnit.SECONDS)).as("push to the desk on node c")
                    .containsExactly(jid("mallory@localhost"));

            // The invalidation travels over Redis; node b must refuse from then on.
            Message bounce = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (bounce == null && System.nanoTime() < deadline) {
                mallory.sendChat("carol@localhost/phone", "let me in");
                Message m = mallory.poll(Duration.ofMillis(200));
                if (m != null && m.getType() == Message.Type.error) {
                    bounce = m;
                }
            }
            assertThat(bounce).as("a bounce from the block made on node a").isNotNull();
            assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
            while (carol.poll(Duration.ofMillis(300)) != null) {
                // messages sent before node b heard of the block
            }
            mallory.sendChat("carol@localhost", "and again");
            assertThat(mallory.next().getType()).isEqualTo(Message.Type.error);
            assertThat(carol.poll(Duration.ofMillis(400))).isNull();
        }
    }

    @Test
    void lastActivityAcrossNodes() throws Exception {
        a.stores().roster().put("dave", RosterItem.of("erin@localhost").withSubscription(Subscription.BOTH));
        a.stores().roster().put("erin", RosterItem.of("dave@localhost").withSubscription(Subscription.BOTH));
        MessageInbox dave = login(a, "dave", "r");
        try (MessageInbox erin = login(b, "erin", "r")) {
            LastActivityManager last = LastActivityManager.getInstanceFor(erin.connection());
            assertThat(last.getLastActivity(jid("dave@localhost")).getIdleTime()).isZero();
            dave.close();
            ClusterTest.waitFor(() -> new SqlLastActivityStore(a.database()).get("dave").isPresent());
            assertThat(last.getLastActivity(jid("dave@localhost")).getIdleTime()).isBetween(0L, 10L);
        }
    }
}
