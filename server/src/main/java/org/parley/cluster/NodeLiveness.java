package org.parley.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Node liveness without a membership protocol: each node keeps a key {@code <prefix>n:<id>:alive}
 * with a TTL and renews it every third of the TTL. A node whose key is gone is dead to the
 * others: its directory entries are ignored and deleted when met. Answers are cached briefly so
 * routing asks Redis at most once a second per node.
 */
final class NodeLiveness {
    private static final Duration CHECK_CACHE = Duration.ofSeconds(1);

    private final RedisLink redis;
    private final ClusterKeys keys;
    private final String self;
    private final Duration ttl;
    private final Cache<String, Boolean> alive = Caffeine.newBuilder().expireAfterWrite(CHECK_CACHE).build();

    NodeLiveness(RedisLink redis, ClusterKeys keys, String self, Duration ttl) {
        this.redis = redis;
        this.keys = keys;
        this.self = self;
        this.ttl = ttl;
    }

    /** How often {@link #renew()} must run. */
    Duration renewInterval() {
        return ttl.dividedBy(3);
    }

    /** Sets this node's key with its TTL; throws {@link io.lettuce.core.RedisException} when Redis is down. */
    void renew() {
        redis.sync().psetex(keys.alive(self), ttl.toMillis(), "1");
    }

    /** Whether a node's liveness key exists (this node is always alive to itself). */
    boolean isAlive(String node) {
        if (node.equals(self)) {
            return true;
        }
        return alive.get(node, n -> redis.sync().exists(keys.alive(n)) > 0);
    }

    /** A node that received nothing we sent it: treat it as dead until the next check. */
    void markDead(String node) {
        alive.put(node, Boolean.FALSE);
    }

    /** On a clean stop: this node is gone now, not when its key expires. */
    void remove() {
        redis.sync().del(keys.alive(self));
    }
}
