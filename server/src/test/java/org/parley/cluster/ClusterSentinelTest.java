package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.cluster.ClusterTest.waitFor;

import io.lettuce.core.RedisClient;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.testing.MessageInbox;

/**
 * Redis run as operators run it for high availability: a primary, a replica and Debian's
 * {@code redis-sentinel} (package redis-sentinel; skipped without it, except under CI=true). The
 * nodes are given a {@code redis-sentinel://} URL; the primary is killed with SIGKILL under
 * cross-node traffic, the Sentinel promotes the replica, and every message reaches the recipient,
 * who stayed online (some may come twice). Connecting through the Sentinel is no outage: before
 * the kill neither node counted one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterSentinelTest {
    private static final int MESSAGES = 150;
    private static final int KILL_AFTER = 30;
    private static final String SENTINEL = "/usr/bin/redis-sentinel";
    /** Logins on a machine at load 20-30 may take more than Smack's usual 5 s (TLS, SCRAM). */
    private static final Duration LOGIN = Duration.ofSeconds(30);
    @TempDir
    static Path dir;
    ClusterTestNodes cluster;
    PrivateRedis primary;
    final List<Process> processes = new ArrayList<>();
    Server a;
    Server b;

    @BeforeAll
    void start() throws Exception {
        if (!new File(SENTINEL).canExecute()) {
            Assumptions.assumeFalse(!"true".equals(System.getenv("CI")), "redis-sentinel not installed");
            throw new AssertionError(SENTINEL + " not installed (apt-get install redis-sentinel)");
        }
        cluster = ClusterTestNodes.create(dir);
        primary = PrivateRedis.start(dir);
        int primaryPort = Integer.parseInt(primary.url().substring(primary.url().lastIndexOf(':') + 1));
        int replicaPort = freePort();
        int sentinelPort = freePort();
        processes.add(redis(dir, "replica", "/usr/bin/redis-server", "--port", Integer.toString(replicaPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--replicaof", "127.0.0.1", Integer.toString(primaryPort)));
        Path conf = dir.resolve("sentinel.conf");
        Files.writeString(conf, String.join("\n",
                "port " + sentinelPort,
                "bind 127.0.0.1",
                "dir " + dir,
                "sentinel monitor parley 127.0.0.1 " + primaryPort + " 1",
                "sentinel down-after-milliseconds parley 1000",
                "sentinel failover-timeout parley 10000",
                ""));
        processes.add(redis(dir, "sentinel", SENTINEL, conf.toString()));
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + sentinelPort);
        try {
            // The Sentinel must know the replica before the primary fails, or there is no one to
            // promote; it asks the primary for its replicas every 10 s.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            boolean known = false;
            while (!known && System.nanoTime() < deadline) {
                try (var c = client.connectSentinel()) {
                    known = c.sync().replicas("parley").stream().anyMatch(r -> "ok".equals(r.get("master-link-status")));
                } catch (RuntimeException e) {
                    known = false;
                }
                if (!known) {
                    Thread.sleep(200);
                }
            }
            assertThat(known).as("the Sentinel knows a replica in sync").isTrue();
        } finally {
            client.shutdown();
        }
        Map<String, String> env = Map.of("PARLEY_CLUSTER_REDIS_URL",
                "redis-sentinel://127.0.0.1:" + sentinelPort + "#parley", "PARLEY_CLUSTER_NODE_TTL", "3s",
                "PARLEY_METRICS_PORT", "0");
        a = cluster.start("a", env);
        b = cluster.start("b", env);
        cluster.createUsers("sam", "tess");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Process redis(Path dir, String name, String... cmd) throws Exception {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
    }

    private static String scrape(Server node) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        for (Process p : processes) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (primary != null) {
            primary.close();
        }
    }

    @Test
    void aPrimaryKilledUnderTrafficFailsOverAndNoMessageWaitsForTheNextLogin() throws Exception {
        Set<String> got = ConcurrentHashMap.newKeySet();
        AtomicInteger copies = new AtomicInteger();
        try (MessageInbox sam = MessageInbox.login(cluster.clients(a), "sam", "sam-pw", "r", LOGIN);
             MessageInbox tess = MessageInbox.login(cluster.clients(b), "tess", "tess-pw", "r", LOGIN)) {
            tess.connection().addSyncStanzaListener(s -> {
                copies.incrementAndGet();
                got.add(((Message) s).getBody());
            }, s -> s instanceof Message && ((Message) s).getBody() != null);
            sam.sendChat("tess@localhost", "warm-up");
            waitFor(() -> got.contains("warm-up"));
            // Each (re)connection looks the primary up on a Sentinel connection that is then
            // closed: that is no outage (it was counted as one, and the node republished
            // everything and routed cross-node stanzas to offline storage each time).
            for (Server node : new Server[] {a, b}) {
                assertThat(scrape(node)).contains("parley_cluster_redis_up 1.0")
                        .contains("parley_cluster_redis_outages_total 0.0");
            }
            long failedAt = 0;
            for (int i = 0; i < MESSAGES; i++) {
                if (i == KILL_AFTER) {
                    primary.kill();
                    failedAt = System.nanoTime();
                }
                sam.sendChat("tess@localhost", "m" + i);
                Thread.sleep(40);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (got.size() < MESSAGES + 1 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            System.out.printf("sentinel failover: %d of %d delivered to the online recipient, %d copies, %.1f s after the kill%n",
                    got.size() - 1, MESSAGES, copies.get() - 1, (System.nanoTime() - failedAt) / 1e9);
            // What the Sentinel did (+sdown, +odown, +try-failover, +switch-master; +tilt when it
            // paused itself because its clock jumped), for a failure's cause.
            try (var lines = Files.lines(dir.resolve("sentinel.log"))) {
                lines.filter(l -> l.contains(" +") || l.contains(" -")).forEach(l -> System.out.println("sentinel: " + l));
            }
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                if (!got.contains("m" + i)) {
                    missing.add("m" + i);
                }
            }
            assertThat(missing).as("messages the online recipient never got").isEmpty();
            // Not asserted: each message once. A failover may hand some over twice (see docs/cluster.md).
            // Cross-node chat works through the new primary.
            sam.sendChat("tess@localhost/r", "after the failover");
            waitFor(() -> got.contains("after the failover"));
        }
    }
}
