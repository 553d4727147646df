package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.cluster.ClusterTest.waitFor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Presence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.store.RosterItem;
import org.parley.store.Subscription;
import org.parley.testing.Clients;
import org.parley.testing.MessageInbox;

/**
 * A node killed with SIGKILL: the contacts of its users, on the surviving nodes, are told those
 * users left (subscribers and those that got directed presence), once, within the node TTL plus
 * two seconds; and when the node comes back under the same id before anyone noticed, the
 * sessions of its previous life are ended the same way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterNodeDeathTest {
    private static final Duration CHILD_TTL = Duration.ofSeconds(2);
    @TempDir
    static Path dir;
    ClusterTestNodes cluster;
    Server a;
    Server b;

    @BeforeAll
    void start() {
        cluster = ClusterTestNodes.create(dir);
        a = cluster.start("a");
        b = cluster.start("b");
        cluster.createUsers("alice", "dave", "erin", "fred", "gina");
        befriend("alice", "dave");
        befriend("alice", "fred");
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void befriend(String x, String y) {
        a.stores().roster().put(x, RosterItem.of(y + "@localhost").withSubscription(Subscription.BOTH));
        a.stores().roster().put(y, RosterItem.of(x + "@localhost").withSubscription(Subscription.BOTH));
    }

    private MessageInbox login(Clients clients, String user) throws Exception {
        return MessageInbox.login(clients, user, user + "-pw", "r");
    }

    /** The presences a client receives from one full JID, in order. */
    private static BlockingQueue<Presence> presencesFrom(MessageInbox client, String from) {
        BlockingQueue<Presence> q = new LinkedBlockingQueue<>();
        client.connection().addSyncStanzaListener(s -> q.add((Presence) s),
                s -> s instanceof Presence && s.getFrom() != null && s.getFrom().toString().equals(from));
        return q;
    }

    private static Presence nextOfType(BlockingQueue<Presence> q, Presence.Type type, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Presence p;
        while ((p = q.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
            if (p.getType() == type) {
                return p;
            }
        }
        return null;
    }

    @Test
    void contactsOnSurvivingNodesHearOnceThatTheDeadNodesUsersLeft() throws Exception {
        ClusterTestNodes.Child child = cluster.child("k", "org.parley.cli.ParleyCli",
                Map.of("PARLEY_CLUSTER_NODE_TTL", CHILD_TTL.toSeconds() + "s"));
        try (MessageInbox alice = login(cluster.clients(a), "alice");
             MessageInbox erin = login(cluster.clients(b), "erin");
             MessageInbox gina = login(cluster.clients(b), "gina")) {
            BlockingQueue<Presence> aliceSees = presencesFrom(alice, "dave@localhost/r");
            BlockingQueue<Presence> erinSees = presencesFrom(erin, "dave@localhost/r");
            MessageInbox dave = login(cluster.clients(child), "dave");
            assertThat(nextOfType(aliceSees, Presence.Type.available, Duration.ofSeconds(5))).isNotNull();
            // Directed presence to someone with no subscription (§4.6): only the dead node knew of it.
            dave.connection().sendStanza(dave.connection().getStanzaFactory().buildPresenceStanza()
                    .to("erin@localhost/r").build());
            assertThat(nextOfType(erinSees, Presence.Type.available, Duration.ofSeconds(5))).isNotNull();
            dave.sync();

            long killed = System.nanoTime();
            child.kill();
            Duration within = CHILD_TTL.plusSeconds(2);
            assertThat(nextOfType(aliceSees, Presence.Type.unavailable, within))
                    .as("the subscriber hears dave left").isNotNull();
            assertThat(nextOfType(erinSees, Presence.Type.unavailable,
                    within.minusNanos(System.nanoTime() - killed).plusMillis(200)))
                    .as("the directed-presence recipient hears dave left").isNotNull();
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            assertThat(took).isLessThanOrEqualTo(within.toMillis() + 200);

            waitFor(() -> cluster.redis().hlen(cluster.prefix() + "u:dave@localhost") == 0
                    && !cluster.redis().hexists(cluster.prefix() + "nodes", "k")
                    && cluster.redis().exists(cluster.prefix() + "n:k:users") == 0);
            // Two survivors, one clean-up: nobody hears it twice.
            assertThat(nextOfType(aliceSees, Presence.Type.unavailable, Duration.ofMillis(1500))).isNull();
            assertThat(nextOfType(erinSees, Presence.Type.unavailable, Duration.ofMillis(100))).isNull();

            // The survivors' own users carry on.
            erin.sendChat("gina@localhost/r", "still here");
            assertThat(gina.next().getBody()).isEqualTo("still here");
            alice.sendChat("gina@localhost/r", "me too");
            assertThat(gina.next().getBody()).isEqualTo("me too");
        } finally {
            child.kill();
        }
    }

    @Test
    void aNodeBackUnderItsIdBeforeItsKeyExpiredEndsItsPreviousSessions() throws Exception {
        // A long TTL: the node is back before anyone could have declared it dead.
        Map<String, String> env = Map.of("PARLEY_CLUSTER_NODE_TTL", "60s");
        ClusterTestNodes.Child child = cluster.child("m", "org.parley.cli.ParleyCli", env);
        try (MessageInbox alice = login(cluster.clients(a), "alice")) {
            BlockingQueue<Presence> aliceSees = presencesFrom(alice, "fred@localhost/r");
            login(cluster.clients(child), "fred");
            assertThat(nextOfType(aliceSees, Presence.Type.available, Duration.ofSeconds(5))).isNotNull();
            child.kill();
            child = cluster.child("m", "org.parley.cli.ParleyCli", env);
            assertThat(nextOfType(aliceSees, Presence.Type.unavailable, Duration.ofSeconds(10)))
                    .as("alice hears fred left once his node is back without him").isNotNull();
            waitFor(() -> cluster.redis().hlen(cluster.prefix() + "u:fred@localhost") == 0);
        } finally {
            child.kill();
        }
    }
}
