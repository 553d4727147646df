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
 * A copy of a message to a bare JID that the resource it was routed to never took is not dropped
 * because the user can read elsewhere by now: the resource available now was not there when the
 * message was routed and never got a copy. Here the node holding the resource dies with messages
 * only it had (held in its socket buffers, unacknowledged), the user is back on another node with
 * another resource before the clean-up after the dead node, and the clean-up's in-doubt replay
 * must reach that resource. It used to be dropped there ("one copy of a message to the bare JID:
 * the other resources got theirs"): the messages were only in the archive.
 */
class ClusterInDoubtElsewhereTest extends ClusterWithNodeA {
    private static final int MESSAGES = 20;

    @Test
    void messagesInDoubtReachTheResourceTheUserOpenedElsewhereBeforeTheCleanUp() throws Exception {
        cluster.createUsers("rae", "sol");
        ClusterTestNodes.Child child = cluster.child("c", "org.parley.cli.ParleyCli",
                Map.of("PARLEY_CLUSTER_NODE_TTL", "8s"));
        String bare = "sol@localhost";
        Set<String> live = ConcurrentHashMap.newKeySet();
        List<String> elsewhere = new ArrayList<>();
        try (TcpProxy link = new TcpProxy(child.port());
             MessageInbox sender = MessageInbox.login(cluster.clients(a), "rae", "rae-pw", "r")) {
            Clients viaLink = new Clients(ClusterTestNodes.DOMAIN, link::port, cluster.trustManager());
            XMPPTCPConnection sol = new XMPPTCPConnection(viaLink.builder()
                    .setUsernameAndPassword("sol", "sol-pw").setResource("first").build());
            sol.setReplyTimeout(30_000); // a child JVM just started on a loaded machine
            sol.setUseStreamManagementResumption(false); // acknowledgements only, as the soak's clients
            sol.addSyncStanzaListener(s -> live.add(((Message) s).getBody()), s -> s instanceof Message);
            sol.connect().login();
            sender.sendChat(bare, "warm-up");
            waitFor(30, () -> live.contains("warm-up"));
            live.clear();

            link.hold(true);
            for (int i = 0; i < MESSAGES; i++) {
                sender.sendChat(bare, "m" + i);
            }
            sender.sync(); // all accepted: archived and handed to node c, which holds them
            waitFor(30, () -> cluster.redis().hlen(cluster.prefix() + "n:c:cursors") > 0);
            child.kill();
            sol.instantShutdown();

            // Back at once, on node a, with another resource: available before node c's key expires.
            try (MessageInbox second = MessageInbox.login(cluster.clients(a), "sol", "sol-pw", "second")) {
                assertThat(cluster.redis().hexists(cluster.prefix() + "nodes", "c"))
                        .as("the clean-up after node c has not run yet (else this shows nothing)").isTrue();
                waitFor(30, () -> !cluster.redis().hexists(cluster.prefix() + "nodes", "c"));
                Message m;
                while ((m = second.poll(Duration.ofSeconds(3))) != null) {
                    elsewhere.add(m.getBody());
                }
            }
        } finally {
            child.kill();
        }

        List<String> offline = new ArrayList<>();
        try (MessageInbox back = MessageInbox.login(cluster.clients(a), "sol", "sol-pw", "third")) {
            Message m;
            while ((m = back.poll(Duration.ofSeconds(2))) != null) {
                offline.add(m.getBody());
            }
        }
        Set<String> missing = new TreeSet<>();
        for (int i = 0; i < MESSAGES; i++) {
            if (!elsewhere.contains("m" + i) && !offline.contains("m" + i)) {
                missing.add("m" + i);
            }
        }
        System.out.printf("in doubt elsewhere: %d sent, %d live on the first resource, %d on the second, "
                + "%d offline after, %d missing%n", MESSAGES, live.size(), elsewhere.size(), offline.size(),
                missing.size());
        assertThat(live).as("delivered live through the held link").isEmpty();
        assertThat(missing).as("neither delivered nor stored offline: only in the archive").isEmpty();
        assertThat(elsewhere).as("the resource opened elsewhere gets them once").doesNotHaveDuplicates();
    }
}
