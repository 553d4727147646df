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
    /**
     * Nodes a bus message reached no subscriber of: node → its member-hash renewal value when that
     * was first looked at ({@code ""} until then). Such a node counts as absent until it renews
     * its liveness again, so stanzas for its users go to offline handling instead of being sent
     * to it, failing, and retried until its key expires (a killed node keeps its key that long).
     */
    private final java.util.Map<String, String> silent = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Nodes whose liveness key was gone when a lookup asked (stanzas for their users then went to
     * offline handling), watched until their key is back. A node renewing late on a starved
     * machine (its key expired, nobody had declared it dead yet) republishes nothing and says
     * nothing: what was stored offline meanwhile for its users, who stayed online, waited for
     * their next login. Seen again, it is told about like a {@link #silent} one.
     */
    private final java.util.Set<String> missing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile long leaseStart;
    private volatile boolean leased;

    /** Told of a node counted as absent (see {@link #silent}) that renewed its liveness since. */
    private final java.util.function.Consumer<String> heardAgain;

    NodeLiveness(RedisLink redis, ClusterKeys keys, String self, Duration ttl,
                 java.util.function.Consumer<String> heardAgain) {
        this.heardAgain = heardAgain;
        this.redis = redis;
        this.keys = keys;
        this.self = self;
        this.ttl = ttl;
    }

    /** How often {@link #renew(long)} must run. */
    Duration renewInterval() {
        return ttl.dividedBy(3);
    }

    /**
     * Sets this node's key with its TTL and its entry in the member hash (with {@code asOf}, the
     * wall-clock millis this renewal vouches for: taken before the delivery cursors were written). Returns the time of the previous renewal recorded there, or null when the node
     * was not a member: its first round, or other nodes declared it dead meanwhile (it was cut
     * off longer than the TTL) and told its users' contacts so. Throws
     * {@link io.lettuce.core.RedisException} when Redis is down.
     */
    Long renew(long asOf) {
        long sent = System.nanoTime();
        redis.sync().psetex(keys.alive(self), ttl.toMillis(), "1");
        leaseStart = sent;
        leased = true;
        String previous = redis.sync().hget(keys.members(), self);
        redis.sync().hset(keys.members(), self, Long.toString(asOf));
        return previous == null ? null : Long.parseLong(previous);
    }

    Duration ttl() {
        return ttl;
    }

    /**
     * Whether this node's key surely still exists: Redis set it, with the TTL, no earlier than
     * just before the last successful {@link #renew(long)} was sent, so it lives at least until then
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
        return alive.get(node, n -> {
            if (redis.sync().exists(keys.alive(n)) == 0) {
                missing.add(n);
                return false;
            }
            return !stillSilent(n);
        });
    }

    /** Whether a node found not listening has not renewed its liveness since (see {@link #silent}). */
    private boolean stillSilent(String node) {
        String seen = silent.get(node);
        if (seen == null) {
            return false;
        }
        String renewal = redis.sync().hget(keys.members(), node);
        String now = renewal == null ? "-" : renewal;
        if (seen.isEmpty()) {
            silent.replace(node, "", now);
            return true;
        }
        if (!now.equals(seen)) {
            if (silent.remove(node, seen)) {
                // What this node stored offline meanwhile for that node's users, who may have
                // stayed online (its bus was being re-established), is due to them now.
                heardAgain.accept(node);
            }
            return false;
        }
        return true;
    }

    /**
     * Looks again at the nodes counted as absent, even when no stanza for them asks: one that
     * renewed since counts as alive again, and {@code heardAgain} runs for it.
     */
    void recheckSilent() {
        for (String node : silent.keySet()) {
            alive.invalidate(node);
            isAlive(node);
        }
        for (String node : missing) {
            if (isAliveNow(node)) {
                if (missing.remove(node)) {
                    alive.invalidate(node);
                    heardAgain.accept(node);
                }
            } else if (!redis.sync().hexists(keys.members(), node)) {
                missing.remove(node); // declared dead: if it comes back, it republishes and says so itself
            }
        }
    }

    /** Whether a node's liveness key exists now, asking Redis (for clean-up decisions, never cached). */
    boolean isAliveNow(String node) {
        return node.equals(self) || redis.sync().exists(keys.alive(node)) > 0;
    }

    /**
     * A node that received nothing we sent it: treat it as dead until it renews its liveness
     * (a live node whose bus connection was being re-established does within a third of the TTL;
     * nothing is deleted meanwhile, see {@link NodeReaper}). Returns
     * whether it counted as alive until now (the first such batch of an episode).
     */
    boolean markDead(String node) {
        silent.putIfAbsent(node, "");
        return !Boolean.FALSE.equals(alive.asMap().put(node, Boolean.FALSE));
    }

    /**
     * On a clean stop: this node is gone now, not when its key expires (its entries are already
     * removed). It stays in the member set when it handed sessions over, so that the clean-up
     * after it ends those nobody resumed once their window closes.
     */
    void remove(boolean stayMember) {
        leased = false;
        redis.sync().del(keys.alive(self));
        if (!stayMember) {
            redis.sync().hdel(keys.members(), self);
        }
    }
}
