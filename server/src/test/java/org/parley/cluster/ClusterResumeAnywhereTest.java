package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.parley.feature.offline.SqlOfflineStore;
import org.parley.testing.Clients;
import org.parley.testing.MessageInbox;
import org.parley.testing.TcpProxy;

/**
 * XEP-0198 resumption on any node: a client behind a load balancer whose node is killed with
 * SIGKILL under traffic reconnects through the balancer to another node and resumes its session
 * there; it gets every message exactly once, live before the kill or on the resumed stream.
 */
class ClusterResumeAnywhereTest extends ClusterWithNodeA {
    private static final int MESSAGES = 300;
    private static final int KILL_AFTER = 100;

    @Test
    void aClientWhoseNodeWasKilledResumesOnAnotherNodeWithEveryMessageOnce() throws Exception {
        // A long TTL: the dead node's liveness key outlives the resumption, so the node that
        // takes the session over must see the death itself (and no clean-up runs first).
        Outcome o = resumeAcross("k", "lena", "mia", ClusterTestNodes.Child::kill);
        System.out.printf("resumption after a SIGKILL: %s%n", o);
        assertThat(o.missing()).as("lost").isEmpty();
        assertThat(o.twice()).as("received twice").isEmpty();
    }

    /**
     * A rolling restart: SIGTERM, as {@code ./parley stop} does. The node hands the session over
     * and drops the connection; the client reconnects through the balancer and resumes on
     * another node.
     */
    @Test
    void aClientWhoseNodeStopsResumesOnAnotherNodeWithEveryMessageOnce() throws Exception {
        Outcome o = resumeAcross("s", "nils", "olga", child -> {
            child.process().destroy(); // SIGTERM
            child.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        });
        System.out.printf("resumption after a clean stop: %s%n", o);
        assertThat(o.missing()).as("lost").isEmpty();
        assertThat(o.twice()).as("received twice").isEmpty();
        // Nothing of the stopped node is left behind: the session it handed over was taken (and
        // has ended since), so the node leaves the member set once the clean-up after it looks.
        assertThat(cluster.redis().hlen(cluster.prefix() + "u:olga@localhost")).isZero();
        within(30, () -> !cluster.redis().hexists(cluster.prefix() + "nodes", "s"));
    }

    record Outcome(int liveBefore, int after, List<String> missing, List<String> twice) {
        @Override
        public String toString() {
            return String.format("%d sent, %d live before, %d after, %d lost, %d twice", MESSAGES, liveBefore, after,
                    missing.size(), twice.size());
        }
    }

    /**
     * {@code to} logs in on child node {@code node} through a balancer and {@code from} on node a
     * sends it {@link #MESSAGES} messages 2 ms apart, half to its full JID, half to its bare JID;
     * after {@link #KILL_AFTER} the child is ended and the balancer sends new connections to a,
     * where {@code to} resumes its session. Every message is counted.
     */
    private Outcome resumeAcross(String node, String from, String to, EndUnderTraffic.End end) throws Exception {
        cluster.createUsers(from, to);
        ClusterTestNodes.Child child = cluster.child(node, "org.parley.cli.ParleyCli",
                Map.of("PARLEY_CLUSTER_NODE_TTL", "30s"));
        AtomicInteger backend = new AtomicInteger(child.port());
        List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        String full = to + "@localhost/phone";
        try (TcpProxy balancer = new TcpProxy(backend::get);
             MessageInbox sender = MessageInbox.login(cluster.clients(a), from, from + "-pw", "r")) {
            Clients viaBalancer = new Clients(ClusterTestNodes.DOMAIN, balancer::port, cluster.trustManager());
            // A child JVM just started on a loaded machine may take more than the usual 5 s to answer.
            MessageInbox recipient = MessageInbox.login(viaBalancer, to, to + "-pw", "phone", Duration.ofSeconds(30));
            XMPPTCPConnection phone = recipient.connection();
            assertThat(phone.isSmResumptionPossible()).isTrue();
            phone.addSyncStanzaListener(s -> got.add(((Message) s).getBody()), s -> s instanceof Message);
            sender.sendChat(full, "warm-up");
            within(30, () -> got.contains("warm-up"));
            got.clear();

            EndUnderTraffic.send(sender, full, to + "@localhost", MESSAGES, KILL_AFTER, child, c -> {
                backend.set(a.c2sPort()); // the balancer sends new connections to a survivor
                end.end(c);
            });
            int beforeResume = got.size();

            within(30, () -> !phone.isConnected());
            phone.connect().login();
            assertThat(phone.streamWasResumed()).as("resumed on the surviving node").isTrue();
            assertThat(a.directory().all()).extracting(s -> s.jid().toString()).contains(full);
            // Everything arrives; then nothing more.
            within(30, () -> new TreeSet<>(got).size() >= MESSAGES);
            Thread.sleep(2000);
            assertThat(new SqlOfflineStore(a.database()).count(to)).as("left in offline storage").isZero();

            Map<String, Integer> counts = new TreeMap<>();
            for (String body : got) {
                counts.merge(body, 1, Integer::sum);
            }
            List<String> missing = new ArrayList<>();
            List<String> twice = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                int n = counts.getOrDefault("m" + i, 0);
                if (n == 0) {
                    missing.add("m" + i);
                } else if (n > 1) {
                    twice.add("m" + i);
                }
            }
            Outcome o = new Outcome(beforeResume, got.size() - beforeResume, missing, twice);

            // The resumed session goes on as any other.
            sender.sendChat(full, "after");
            within(30, () -> got.contains("after"));
            recipient.close();
            return o;
        } finally {
            child.kill();
        }
    }

    private static void within(int seconds, ClusterTest.Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + seconds + "s");
            }
            Thread.sleep(20);
        }
    }
}
