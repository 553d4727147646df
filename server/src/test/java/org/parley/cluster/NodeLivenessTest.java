package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liveness against a real (private) Redis: a node whose key had expired without anyone declaring
 * it dead (its renewal came late on a starved machine) is told about once it renews, so that what
 * was stored offline for its users while it looked dead reaches them, who stayed online.
 */
class NodeLivenessTest {
    private static final Duration TTL = Duration.ofSeconds(3);
    @TempDir
    Path dir;

    @Test
    void aNodeThatRenewsAfterItsKeyExpiredIsHeardAgainOnce() throws Exception {
        try (PrivateRedis redis = PrivateRedis.start(dir)) {
            RedisLink link = new RedisLink(redis.url(), Duration.ofSeconds(2), new SimpleMeterRegistry());
            try {
                link.subscribe("t:dir", m -> { }); // a node always listens on some channel
                assertThat(link.connect()).isTrue();
                ClusterKeys keys = new ClusterKeys("t:");
                List<String> heard = new CopyOnWriteArrayList<>();
                NodeLiveness b = new NodeLiveness(link, keys, "b", TTL, n -> { });
                b.renew(System.currentTimeMillis());
                link.sync().del(keys.alive("b")); // expired: b is late, still a member

                NodeLiveness a = new NodeLiveness(link, keys, "a", TTL, heard::add);
                assertThat(a.isAlive("b")).as("stanzas for b's users go to offline handling").isFalse();
                a.recheckSilent();
                assertThat(heard).isEmpty();

                b.renew(System.currentTimeMillis());
                a.recheckSilent();
                assertThat(heard).containsExactly("b");
                assertThat(a.isAlive("b")).isTrue();
                a.recheckSilent();
                assertThat(heard).as("once").containsExactly("b");
            } finally {
                link.close();
            }
        }
    }

    @Test
    void aNodeDeclaredDeadIsNotWatched() throws Exception {
        try (PrivateRedis redis = PrivateRedis.start(dir)) {
            RedisLink link = new RedisLink(redis.url(), Duration.ofSeconds(2), new SimpleMeterRegistry());
            try {
                link.subscribe("t:dir", m -> { }); // a node always listens on some channel
                assertThat(link.connect()).isTrue();
                ClusterKeys keys = new ClusterKeys("t:");
                List<String> heard = new CopyOnWriteArrayList<>();
                NodeLiveness a = new NodeLiveness(link, keys, "a", TTL, heard::add);
                assertThat(a.isAlive("gone")).isFalse();
                a.recheckSilent(); // not a member: the clean-up after it ran, it announces itself when back
                NodeLiveness gone = new NodeLiveness(link, keys, "gone", TTL, n -> { });
                gone.renew(System.currentTimeMillis());
                a.recheckSilent();
                assertThat(heard).isEmpty();
            } finally {
                link.close();
            }
        }
    }
}
