package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.cluster.ClusterTest.waitFor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.parley.testing.MessageInbox;
import org.parley.testing.TcpProxy;

/**
 * After a SIGKILL, the archive's in-doubt replay of a resumable session nobody resumed leaves out
 * what the session's log shows its client had acknowledged: those messages come again neither
 * live nor at the next login, while the ones it had not acknowledged are all there, once. Before,
 * every message archived in the window came again (the soak's duplicates after a kill).
 */
class ClusterAcknowledgedReplayTest extends ClusterWithNodeA {
    private static final int ACKED = 20;
    private static final int UNACKED = 10;

    @Test
    void messagesTheClientAcknowledgedAreNotHandedOverAgainAfterItsNodeDied() throws Exception {
        cluster.createUsers("rita", "sven");
        // Renewals every 4 s: the acknowledged messages fall in the window counted from the last one.
        ClusterTestNodes.Child child = cluster.child("d", "org.parley.cli.ParleyCli",
                Map.of("PARLEY_CLUSTER_NODE_TTL", "12s"));
        String full = "sven@localhost/r";
        Set<String> live = ConcurrentHashMap.newKeySet();
        int round = 0;
        try (TcpProxy link = new TcpProxy(child.port());
             MessageInbox sender = MessageInbox.login(cluster.clients(a), "rita", "rita-pw", "r")) {
            XMPPTCPConnection sven = cluster.loginVia(link, "sven", "r", live);
            sender.sendChat(full, "warm-up");
            waitFor(30, () -> live.contains("warm-up"));
            sven.sendSmAcknowledgement();

            // The acknowledged messages must be archived after the window's start (2 s before the
            // node's last renewal before the kill): on a machine slow enough to miss that, again.
            while (true) {
                round++;
                long before = renewal("d");
                waitFor(30, () -> renewal("d") != before); // just renewed: 4 s until the next
                long start = System.currentTimeMillis();
                for (int i = 0; i < ACKED; i++) {
                    sender.sendChat(full, "a" + round + "-" + i);
                }
                int r = round;
                waitFor(30, () -> live.contains("a" + r + "-" + (ACKED - 1)));
                sven.sendSmAcknowledgement();
                Thread.sleep(300); // the node records the client's count (sm.a)
                if (renewal("d") - 2000 <= start) {
                    break;
                }
                assertThat(round).as("rounds within the renewal window").isLessThan(5);
            }
            link.hold(true); // from here the client reads and acknowledges nothing
            for (int i = 0; i < UNACKED; i++) {
                sender.sendChat(full, "u" + i);
            }
            sender.sync();
            Thread.sleep(300); // on node d, logged and written towards the held client
            child.kill();
            sven.instantShutdown();
            // The clean-up after d ends the session (nobody resumes it) and hands over what is in doubt.
            waitFor(60, () -> !cluster.redis().hexists(cluster.prefix() + "nodes", "d"));
        } finally {
            child.kill();
        }

        List<String> offline = new ArrayList<>();
        try (MessageInbox back = MessageInbox.login(cluster.clients(a), "sven", "sven-pw", "r")) {
            Message m;
            while ((m = back.poll(Duration.ofSeconds(3))) != null) {
                offline.add(m.getBody());
            }
        }
        List<String> again = offline.stream().filter(b -> b.startsWith("a") || b.equals("warm-up")).toList();
        List<String> unacked = offline.stream().filter(b -> b.startsWith("u")).toList();
        System.out.printf("acknowledged before the kill: %d in %d round(s), %d of them offline again; "
                + "%d of %d unacknowledged offline%n", ACKED * round, round, again.size(), unacked.size(), UNACKED);
        assertThat(again).as("acknowledged messages handed over again").isEmpty();
        assertThat(unacked).as("unacknowledged messages at the next login")
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, UNACKED)
                        .mapToObj(i -> "u" + i).toList());
    }

    private long renewal(String node) {
        String v = cluster.redis().hget(cluster.prefix() + "nodes", node);
        return v == null ? 0 : Long.parseLong(v);
    }
}
