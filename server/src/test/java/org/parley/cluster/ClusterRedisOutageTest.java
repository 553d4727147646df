package org.parley.cluster;

import org.parley.feature.offline.SqlOfflineStore;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.feature.offline.OfflineMessage;
import org.parley.testing.MessageInbox;

/**
 * Redis goes away and comes back, with a private redis-server so the shared one is untouched:
 * nodes keep serving their own clients, store cross-node messages offline, then republish their
 * sessions and route between nodes again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterRedisOutageTest {
    @TempDir
    static Path dir;
    ClusterTestNodes cluster;
    PrivateRedis redis;
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
        cluster.createUsers("sam", "tess", "uma");
    }

    @AfterAll
    void stop() throws Exception {
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
    void nodesServeLocallyDuringTheOutageAndRouteAgainAfterIt() throws Exception {
        try (MessageInbox sam = login(a, "sam"); MessageInbox uma = login(a, "uma"); MessageInbox tess = login(b, "tess")) {
            sam.sendChat("tess@localhost", "before");
            assertThat(tess.next().getBody()).isEqualTo("before");
            assertThat(scrape(a)).contains("parley_cluster_redis_up 1.0").contains("parley_cluster_redis_outages_total 0.0");

            redis.kill();
            sam.sendChat("uma@localhost", "same node, no Redis");
            assertThat(uma.next().getBody()).isEqualTo("same node, no Redis");
            sam.sendChat("tess@localhost", "during");
            waitFor(() -> new SqlOfflineStore(a.database()).fetch("tess", 10).size() == 1);
            assertThat(new SqlOfflineStore(a.database()).fetch("tess", 10)).extracting(OfflineMessage::stanzaXml)
                    .singleElement().asString().contains("during");
            assertThat(tess.poll(Duration.ofMillis(200))).isNull();
            // An operator sees the fault without reading logs.
            String during = scrape(a);
            assertThat(during).contains("parley_cluster_redis_up 0.0").contains("parley_cluster_redis_outages_total 1.0");

            redis.restart(); // empty: the nodes must publish their sessions again
            long back = System.nanoTime();
            // tess stayed online: what was stored for her reaches her now, not at her next login.
            assertThat(tess.next().getBody()).isEqualTo("during");
            waitFor(() -> new SqlOfflineStore(a.database()).fetch("tess", 10).isEmpty());
            RedisClient client = RedisClient.create(redis.url());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                waitFor(() -> c.sync().hlen(cluster.prefix() + "u:tess@localhost") == 1
                        && c.sync().hlen(cluster.prefix() + "u:sam@localhost") == 1);
            } finally {
                client.shutdown();
            }
            waitFor(() -> {
                sam.sendChat("tess@localhost", "after");
                Object m = tess.poll(Duration.ofMillis(100));
                return m != null;
            });
            System.out.printf("cross-node chat back %d ms after Redis answered%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back));
            assertThat(scrape(a)).contains("parley_cluster_redis_up 1.0").contains("parley_cluster_redis_outages_total 1.0");
        }
    }

    private static String scrape(Server node) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
