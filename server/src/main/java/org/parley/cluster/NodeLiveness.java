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
    private volatile long leaseStart;
    private volatile boolean leased;

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

    /**
     * Sets this node's key with its TTL and its entry in the member hash (with the time of this
     * renewal). Returns the time of the previous renewal recorded there, or null when the node
     * was not a member: its first round, or other nodes declared it dead meanwhile (it was cut
     * off longer than the TTL) and told its users' contacts so. Throws
     * {@link io.lettuce.core.RedisException} when Redis is down.
     */
    Long renew() {
        long sent = System.nanoTime();
        redis.sync().psetex(keys.alive(self), ttl.toMillis(), "1");
        leaseStart = sent;
        leased = true;
        String previous = redis.sync().hget(keys.members(), self);
        redis.sync().hset(keys.members(), self, Long.toString(System.currentTimeMillis()));
        return previous == null ? null : Long.parseLong(previous);
    }

    Duration ttl() {
        return ttl;
    }

    /**
     * Whether this node's key surely still exists: Redis set it, with the TTL, no earlier than
     * just before the last successful {@link #renew()} was sent, so it lives at least until then
     * plus the TTL. A margin of a tenth of the TTL covers clocks that tick at slightly different
     * rates. Who must not act once other nodes may consider this one dead (an entity's owner)
     * acts only while this holds.
     */
    boolean holdsLease() {
        return leased && System.nanoTime() - leaseStart < ttl.toNanos() - ttl.toNanos() / 10;
    }

    /** Whether a node's liveness key exists (this node is always alive to itself). */
    boolean isAlive(String node) {
        if (node.equals(self)) {
            return true;
        }
        return alive.get(node, n -> redis.sync().exists(keys.alive(n)) > 0);
    }

    /** Whether a node's liveness key exists now, asking Redis (for clean-up decisions, never cached). */
    boolean isAliveNow(String node) {
        return node.equals(self) || redis.sync().exists(keys.alive(node)) > 0;
    }

    /**
     * A node that received nothing we sent it: treat it as dead until the next check. Returns
     * whether it counted as alive until now (the first such batch of an episode).
     */
    boolean markDead(String node) {
        return !Boolean.FALSE.equals(alive.asMap().put(node, Boolean.FALSE));
    }

    /** On a clean stop: this node is gone now, not when its key expires (its entries are already removed). */
    void remove() {
        leased = false;
        redis.sync().del(keys.alive(self));
        redis.sync().hdel(keys.members(), self);
    }
}
