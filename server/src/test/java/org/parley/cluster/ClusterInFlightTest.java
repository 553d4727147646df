package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.cluster.ClusterTest.waitFor;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.Test;
import org.parley.testing.MessageInbox;

/**
 * Messages in flight to a node that ends under traffic, killed with SIGKILL or stopped with
 * SIGTERM: every message the server accepted reaches the recipient, live before the end or
 * among the offline messages at the next login on another node, never only in the archive.
 * Every message is counted.
 */
class ClusterInFlightTest extends ClusterWithNodeA {
    private static final int MESSAGES = 300;
    private static final int KILL_AFTER = 100;

    @Test
    void noMessageSentAroundAKillIsOnlyInTheArchive() throws Exception {
        Outcome o = countAcross("k", "hank", "ivy", ClusterTestNodes.Child::kill);
        System.out.printf("in flight at a SIGKILL: %s%n", o);
        assertThat(o.missing()).as("messages neither delivered live nor stored offline").isEmpty();
        assertThat(o.offlineCopies()).as("offline copies of one message").isZero();
    }

    /**
     * A rolling restart: SIGTERM, as `systemctl stop` sends; the client reconnects to
     * another node. Messages it had received but not acknowledged (XEP-0198) may come again.
     */
    @Test
    void noMessageSentAroundACleanStopIsLost() throws Exception {
        Outcome o = countAcross("s", "jack", "kim", child -> {
            child.process().destroy(); // SIGTERM
            child.process().waitFor(30, TimeUnit.SECONDS);
        });
        System.out.printf("rolling restart: %s%n", o);
        // The session the stopped node handed over ended when kim bound the same resource afresh;
        // once nothing of the node is left, it leaves the member set.
        assertThat(cluster.redis().hlen(cluster.prefix() + "u:kim@localhost")).isZero();
        waitFor(() -> !cluster.redis().hexists(cluster.prefix() + "nodes", "s"));
        assertThat(o.missing()).as("messages neither delivered live nor stored offline").isEmpty();
        assertThat(o.offlineCopies()).as("offline copies of one message").isZero();
    }

    /** What the recipient got: live before its node ended, and offline at its next login. */
    record Outcome(int live, int offline, int both, int offlineCopies, Set<String> missing) {
        @Override
        public String toString() {
            return String.format("%d sent, %d live, %d offline (%d seen live too), %d lost", MESSAGES, live, offline,
                    both, missing.size());
        }
    }

    /**
     * {@code from} on node a sends {@link #MESSAGES} messages 2 ms apart to {@code to} on a child
     * node, half to the full JID and half to the bare JID; after {@link #KILL_AFTER} the child
     * is ended. Then {@code to} logs in on node a.
     */
    private Outcome countAcross(String node, String from, String to, EndUnderTraffic.End end) throws Exception {
        cluster.createUsers(from, to);
        ClusterTestNodes.Child child = cluster.child(node, "org.parley.cli.ParleyCli",
                Map.of("PARLEY_CLUSTER_NODE_TTL", "2s"));
        Set<String> live = ConcurrentHashMap.newKeySet();
        String toJid = to + "@localhost";
        try (MessageInbox sender = MessageInbox.login(cluster.clients(a), from, from + "-pw", "r")) {
            MessageInbox recipient = MessageInbox.login(cluster.clients(child), to, to + "-pw", "r");
            recipient.connection().addSyncStanzaListener(s -> live.add(((Message) s).getBody()),
                    s -> s instanceof Message);
            sender.sendChat(toJid + "/r", "warm-up");
            waitFor(() -> live.contains("warm-up"));
            live.clear();

            EndUnderTraffic.send(sender, toJid + "/r", toJid, MESSAGES, KILL_AFTER, child, end);
            // The ended node is out of the directory (at once when stopped; after its TTL when killed).
            // A stopped node hands the session over instead: its entry waits, released, for a resumption.
            waitFor(() -> {
                String entry = cluster.redis().hget(cluster.prefix() + "u:" + toJid, "r");
                return entry == null ? !cluster.redis().hexists(cluster.prefix() + "nodes", node)
                        : entry.split("\n", 3)[2].startsWith("!") && entry.split("\n", 3)[2].length() > 3;
            });
            Set<String> liveSeen = new HashSet<>(live);

            Set<String> offline = new HashSet<>();
            int copies = 0;
            try (MessageInbox back = MessageInbox.login(cluster.clients(a), to, to + "-pw", "r")) {
                Message m;
                while ((m = back.poll(Duration.ofSeconds(2))) != null) {
                    if (!offline.add(m.getBody())) {
                        copies++;
                    }
                }
            }
            Set<String> missing = new TreeSet<>();
            int both = 0;
            for (int i = 0; i < MESSAGES; i++) {
                String body = "m" + i;
                if (!liveSeen.contains(body) && !offline.contains(body)) {
                    missing.add(body);
                }
                if (liveSeen.contains(body) && offline.contains(body)) {
                    both++;
                }
            }
            return new Outcome(liveSeen.size(), offline.size(), both, copies, missing);
        } finally {
            child.kill();
        }
    }
}
