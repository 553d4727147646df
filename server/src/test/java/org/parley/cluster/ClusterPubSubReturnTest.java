package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.cluster.ClusterTest.waitFor;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.feature.offline.SqlOfflineStore;
import org.parley.testing.MessageInbox;

/**
 * A node's two Redis connections come back separately: the pub/sub one can stay away while the
 * command one works (here Redis refuses new connections, as at its client limit). The node counts
 * Redis as usable only once it listens again. It used to count it usable as soon as a liveness
 * round went through, and then missed what others published meanwhile: a user's changed
 * directory entries, another node's {@code restored}, after which messages stored offline for its
 * users, who stayed online, waited for their next login.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterPubSubReturnTest {
    @TempDir
    static Path dir;
    ClusterTestNodes cluster;
    PrivateRedis redis;
    RedisClient inspectorClient;
    StatefulRedisConnection<String, String> inspector;
    Server a;
    Server b;

    @BeforeAll
    void start() throws Exception {
        cluster = ClusterTestNodes.create(dir);
        redis = PrivateRedis.start(dir);
        Map<String, String> env = Map.of("PARLEY_CLUSTER_REDIS_URL", redis.url(),
                "PARLEY_CLUSTER_NODE_TTL", "3s", "PARLEY_METRICS_PORT", "0");
        a = cluster.start("a", env);
        b = cluster.start("b", env);
        cluster.createUsers("sam", "tess");
        inspectorClient = RedisClient.create(redis.url());
        inspector = inspectorClient.connect();
    }

    @AfterAll
    void stop() throws Exception {
        if (inspector != null) {
            inspector.sync().configSet("maxclients", "10000");
            inspector.close();
            inspectorClient.shutdown();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private MessageInbox login(Server node, String user) throws Exception {
        return MessageInbox.login(cluster.clients(node), user, user + "-pw", "r");
    }

    @Test
    void aNodeCountsRedisUpOnlyOnceItListensAgain() throws Exception {
        try (MessageInbox sam = login(a, "sam"); MessageInbox tess = login(b, "tess")) {
            sam.sendChat("tess@localhost", "before");
            assertThat(tess.next().getBody()).isEqualTo("before");

            // Only the connections open now: the two nodes' command connections and this one.
            long open = inspector.sync().clientList().lines().filter(l -> !l.isBlank()).count();
            inspector.sync().configSet("maxclients", Long.toString(open - 2));
            inspector.sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
            waitFor(() -> scrape(a).contains("parley_cluster_redis_up 0.0")
                    && scrape(b).contains("parley_cluster_redis_up 0.0"));
            sam.sendChat("tess@localhost", "during");
            waitFor(() -> new SqlOfflineStore(a.database()).fetch("tess", 10).size() == 1);
            // Several liveness rounds (every 250 ms while down), each with working commands.
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < until) {
                assertThat(scrape(a)).as("not listening, so not up").contains("parley_cluster_redis_up 0.0");
                assertThat(scrape(b)).contains("parley_cluster_redis_up 0.0");
                Thread.sleep(200);
            }

            inspector.sync().configSet("maxclients", "10000");
            // tess stayed online: what was stored for her reaches her now, not at her next login.
            assertThat(tess.next().getBody()).isEqualTo("during");
            waitFor(() -> scrape(a).contains("parley_cluster_redis_up 1.0")
                    && scrape(b).contains("parley_cluster_redis_up 1.0"));
            assertThat(inspector.sync().pubsubNumsub(cluster.prefix() + "restored").values())
                    .as("both nodes listen").containsExactly(2L);
            waitFor(() -> {
                sam.sendChat("tess@localhost", "after");
                return tess.poll(Duration.ofMillis(100)) != null;
            });
        }
    }

    private static String scrape(Server node) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
