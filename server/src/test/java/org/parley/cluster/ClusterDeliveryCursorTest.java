package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.cluster.ClusterTest.waitFor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.parley.testing.Clients;
import org.parley.testing.MessageInbox;
import org.parley.testing.TcpProxy;

/**
 * The delivery cursor: a node that dies holding messages its client had not acknowledged
 * (XEP-0198, without resumption) for longer than the liveness-based window (2 s before the dead
 * node's last renewal) hands them over all the same: they are among the offline messages at the
 * client's next login on another node, never only in the archive. The client's backlog is made
 * by a link that stops forwarding to it, as a slow reader on a loaded machine.
 */
class ClusterDeliveryCursorTest extends ClusterWithNodeA {
    private static final int MESSAGES = 40;

    @Test
    void messagesUnacknowledgedLongBeforeTheNodeDiedAreAmongTheOfflineMessages() throws Exception {
        cluster.createUsers("pia", "quinn");
        ClusterTestNodes.Child child = cluster.child("c", "org.parley.cli.ParleyCli",
                Map.of("PARLEY_CLUSTER_NODE_TTL", "2s"));
        String bare = "quinn@localhost";
        Set<String> live = ConcurrentHashMap.newKeySet();
        try (TcpProxy link = new TcpProxy(child.port());
             MessageInbox sender = MessageInbox.login(cluster.clients(a), "pia", "pia-pw", "r")) {
            Clients viaLink = new Clients(ClusterTestNodes.DOMAIN, link::port, cluster.trustManager());
            XMPPTCPConnection quinn = new XMPPTCPConnection(viaLink.builder()
                    .setUsernameAndPassword("quinn", "quinn-pw").setResource("r").build());
            quinn.setReplyTimeout(30_000); // a child JVM just started on a loaded machine
            quinn.setUseStreamManagementResumption(false); // acknowledgements only, as the soak's clients
            quinn.addSyncStanzaListener(s -> live.add(((Message) s).getBody()), s -> s instanceof Message);
            quinn.connect().login();
            assertThat(quinn.isSmEnabled()).isTrue();
            sender.sendChat(bare + "/r", "warm-up");
            waitFor(30, () -> live.contains("warm-up"));
            live.clear();

            link.hold(true);
            for (int i = 0; i < MESSAGES; i++) {
                sender.sendChat(i % 2 == 0 ? bare + "/r" : bare, "m" + i);
            }
            sender.sync(); // all accepted: archived and handed to node c
            long accepted = System.currentTimeMillis();
            // Node c queued them unacknowledged (its cursor is written), and renewed its liveness
            // long enough after that the window counted from its renewal no longer covers them.
            waitFor(30, () -> cluster.redis().hlen(cluster.prefix() + "n:c:cursors") > 0);
            waitFor(30, () -> renewal("c") > accepted + 3000);
            child.kill();
            quinn.instantShutdown();
            waitFor(30, () -> !cluster.redis().hexists(cluster.prefix() + "nodes", "c"));
            assertThat(cluster.redis().exists(cluster.prefix() + "n:c:cursors")).as("cursors cleaned up").isZero();
        } finally {
            child.kill();
        }

        List<String> offline = new ArrayList<>();
        try (MessageInbox back = MessageInbox.login(cluster.clients(a), "quinn", "quinn-pw", "r")) {
            Message m;
            while ((m = back.poll(Duration.ofSeconds(2))) != null) {
                offline.add(m.getBody());
            }
        }
        Set<String> missing = new TreeSet<>();
        for (int i = 0; i < MESSAGES; i++) {
            if (!offline.contains("m" + i)) {
                missing.add("m" + i);
            }
        }
        System.out.printf("delivery cursor: %d sent, %d live, %d offline, %d missing%n", MESSAGES, live.size(),
                offline.size(), missing.size());
        assertThat(live).as("delivered live through the held link").isEmpty();
        assertThat(missing).as("neither delivered nor stored offline").isEmpty();
        assertThat(offline).as("offline messages").doesNotHaveDuplicates();
    }

    private long renewal(String node) {
        String v = cluster.redis().hget(cluster.prefix() + "nodes", node);
        return v == null ? 0 : Long.parseLong(v);
    }
}
