package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.cluster.ClusterTest.waitFor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.Test;
import org.parley.testing.MessageInbox;
import org.parley.testing.TcpProxy;

/**
 * A node that cannot reach Redis stores offline what its clients send to users of other nodes,
 * who may well be online. It hands that over when it sees Redis again (its restore pass); here it
 * dies before that. The recipient, online on another node all along, gets the messages all the
 * same, within seconds, not at its next login: the storing node marked them, and the recipient's
 * node looks for marked messages of its available users (UnseenSweep).
 */
class ClusterUnseenOfflineTest extends ClusterWithNodeA {

    @Test
    void whatANodeCutOffFromRedisStoredForAnOnlineUserReachesHimAfterThatNodeDied() throws Exception {
        cluster.createUsers("tom", "uma");
        List<String> got = new ArrayList<>();
        try (TcpProxy redisLink = new TcpProxy(6379)) {
            ClusterTestNodes.Child child = cluster.child("c", "org.parley.cli.ParleyCli",
                    Map.of("PARLEY_CLUSTER_REDIS_URL", "redis://127.0.0.1:" + redisLink.port()));
            try (MessageInbox uma = MessageInbox.login(cluster.clients(a), "uma", "uma-pw", "r");
                 MessageInbox tom = MessageInbox.login(cluster.clients(child), "tom", "tom-pw", "r")) {
                tom.sendChat("uma@localhost", "across");
                assertThat(uma.next().getBody()).as("cross-node chat works first").isEqualTo("across");

                redisLink.cut(); // node c loses Redis; node a and uma do not
                waitFor(30, () -> !cluster.redis().hexists(cluster.prefix() + "nodes", "c")
                        || cluster.redis().exists(cluster.prefix() + "n:c:alive") == 0);
                tom.sendChat("uma@localhost", "while cut 1");
                tom.sendChat("uma@localhost", "while cut 2");
                tom.sync(); // accepted: node c stored them offline, as it cannot see uma's node
                child.kill();

                Message m;
                while (got.size() < 2 && (m = uma.poll(Duration.ofSeconds(20))) != null) {
                    got.add(m.getBody());
                }
                // Delivered rows go with their marks: the next looks (every 2 s) find nothing more.
                while ((m = uma.poll(Duration.ofSeconds(5))) != null) {
                    got.add(m.getBody());
                }
            } finally {
                child.kill();
            }
        }
        System.out.printf("unseen offline: uma got %s while online%n", got);
        assertThat(got).as("delivered to the online recipient once, not kept for her next login")
                .containsExactly("while cut 1", "while cut 2");
    }
}
