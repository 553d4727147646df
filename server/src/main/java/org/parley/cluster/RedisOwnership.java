package org.parley.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.module.LocalUserLocks;
import org.parley.module.Ownership;
import org.parley.route.Router;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.StanzaError.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Ownership} across the cluster (the guarantees are on the interface). An entity's claim
 * is one Redis key, {@code <prefix>own:<kind>:<entity>}, naming its node; it holds as long as
 * that node's liveness key exists, so nothing needs cleaning up when a node dies or stops, and a
 * claim is taken over only from a node whose key is gone. One script reads the claim, checks
 * its node's liveness and takes it over if that node is dead, atomically.
 *
 * <p>A node acts as owner only while {@link NodeLiveness#holdsLease()}: its key surely exists
 * then, so no other node can have taken over. It notices a lapsed lease when it next routes a
 * stanza for an entity it owns or at its next liveness round, and drops its entities.
 *
 * <p>Routing: an owned entity's stanza is handed over at once. Otherwise the owner is looked up
 * (cached for a second; the claim script when unknown, which claims for this node when nobody
 * live owns it) and the stanza travels over the {@link NodeBus}. A node that receives a stanza
 * for an entity it does not own (the sender's cache was stale) looks the owner up afresh and
 * passes it on once; a stanza whose owner's node does not answer (a crash) is claimed here if
 * the owner's key is gone, otherwise answered {@code recipient-unavailable}.
 */
final class RedisOwnership implements Ownership {
    private static final Logger log = LoggerFactory.getLogger(RedisOwnership.class);
    private static final Duration OWNER_CACHE = Duration.ofSeconds(1);
    /** Returns the owner of KEYS[1]: the node named there if its liveness key exists, else ARGV[1], now. */
    private static final String CLAIM = """
            local owner = redis.call('GET', KEYS[1])
            if owner == ARGV[1] then return owner end
            if owner and redis.call('EXISTS', ARGV[2] .. owner .. ARGV[3]) == 1 then return owner end
            redis.call('SET', KEYS[1], ARGV[1])
            return ARGV[1]""";
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""";

    /** How a stanza reached {@link Kind#route}. */
    private enum Source {
        /** Routed by a module on this node. */
        LOCAL,
        /** From another node that believed this one the owner. */
        ARRIVED,
        /** As {@link #ARRIVED}, passed on by a node that was not the owner. */
        PASSED_ON,
        /** Sent by this node to an owner whose node received nothing. */
        UNREACHABLE
    }

    private final String self;
    private final RedisLink redis;
    private final ClusterKeys keys;
    private final NodeLiveness liveness;
    private final NodeBus bus;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();
    private volatile Router router;

    RedisOwnership(String self, RedisLink redis, ClusterKeys keys, NodeLiveness liveness, NodeBus bus) {
        this.self = self;
        this.redis = redis;
        this.keys = keys;
        this.liveness = liveness;
        this.bus = bus;
    }

    /** Before the first stanza: the router answers what cannot reach an owner. */
    void start(Router r) {
        this.router = r;
    }

    @Override
    public Entities open(String kind, Owner owner) {
        Kind k = new Kind(Ownership.checkKind(kind), owner);
        if (kinds.putIfAbsent(kind, k) != null) {
            throw new IllegalStateException("entity kind " + kind + " is open already");
        }
        return k;
    }

    /** A stanza from the bus for an entity another node believed this node owns. */
    void received(String kind, String entity, Stanza stanza, boolean passedOn) {
        Kind k = kinds.get(kind);
        if (k == null) {
            log.warn("cluster: a stanza for a {} entity, which this node does not host", kind);
            unavailable(stanza);
            return;
        }
        k.route(entity, stanza, passedOn ? Source.PASSED_ON : Source.ARRIVED, null);
    }

    /**
     * A stanza this node sent to an entity's owner, {@code node}, reached no node: routed afresh,
     * once, to whichever node owns the entity now unless that is {@code node} still.
     */
    void unreachable(String kind, String entity, Stanza stanza, String node) {
        Kind k = kinds.get(kind);
        if (k != null) {
            k.owners.invalidate(entity);
            k.route(entity, stanza, Source.UNREACHABLE, node);
        }
    }

    /**
     * After a liveness round: an owner whose lease ran out lets its entities go, on a virtual
     * thread, since the module's {@link Owner#lost} may block and the round must not wait.
     */
    void checkLease() {
        if (!liveness.holdsLease()) {
            for (Kind k : kinds.values()) {
                if (!k.owned.isEmpty()) {
                    Thread.ofVirtual().name("parley-ownership-lost").start(k::dropAll);
                }
            }
        }
    }

    /** RFC 6120 §8.3.3.13: the entity is there, but cannot be reached now; type wait, try again later. */
    private void unavailable(Stanza stanza) {
        Router r = router;
        if (r != null) {
            r.bounce(stanza, StanzaError.of(Condition.RECIPIENT_UNAVAILABLE, "its owner cannot be reached now"));
        }
    }

    private final class Kind implements Entities {
        private final String name;
        private final Owner owner;
        private final Set<String> owned = ConcurrentHashMap.newKeySet();
        /** Serialises becoming an entity's owner, so {@link Owner#acquired} runs once. */
        private final LocalUserLocks acquiring = new LocalUserLocks();
        private final Cache<String, String> owners = Caffeine.newBuilder()
                .expireAfterWrite(OWNER_CACHE).maximumSize(100_000).build();

        Kind(String name, Owner owner) {
            this.name = name;
            this.owner = owner;
        }

        @Override
        public void route(String entity, Stanza stanza) {
            route(entity, stanza, Source.LOCAL, null);
        }

        /** @param unreachable the node a stanza of {@link Source#UNREACHABLE} did not reach */
        void route(String entity, Stanza stanza, Source source, String unreachable) {
            if (owned.contains(entity)) {
                if (liveness.holdsLease()) {
                    owner.receive(entity, stanza);
                    return;
                }
                dropAll();
            }
            String node = source == Source.LOCAL ? owners.getIfPresent(entity) : null;
            if (node == null) {
                node = claim(entity);
            }
            if (node == null) {
                unavailable(stanza);
            } else if (node.equals(self)) {
                acquire(entity);
                owner.receive(entity, stanza);
            } else if (source == Source.LOCAL || source == Source.ARRIVED) {
                owners.put(entity, node);
                bus.toOwner(node, name, entity, stanza, source == Source.ARRIVED);
            } else if (source == Source.UNREACHABLE && !node.equals(unreachable)) {
                // It reached no node, and another node took the entity over meanwhile (the one it was
                // sent to stopped; this node's cache still named it): that node has it, passed on once.
                owners.put(entity, node);
                bus.toOwner(node, name, entity, stanza, true);
            } else {
                unavailable(stanza); // passed on once already, or its owner's node is gone
            }
        }

        /** The owner, claiming for this node when no live node owns it; null when Redis cannot tell. */
        private String claim(String entity) {
            if (!redis.isUp() || !liveness.holdsLease()) {
                return null;
            }
            try {
                return redis.sync().eval(CLAIM, ScriptOutputType.VALUE, new String[] {keys.owner(name, entity)},
                        self, keys.nodes(), ClusterKeys.ALIVE);
            } catch (RedisException e) {
                redis.failed(e);
                return null;
            }
        }

        private void acquire(String entity) {
            acquiring.withLock(entity, () -> {
                if (!owned.contains(entity)) {
                    owner.acquired(entity);
                    owned.add(entity);
                    log.debug("cluster: node {} owns {} {}", self, name, entity);
                }
            });
        }

        @Override
        public boolean owns(String entity) {
            return owned.contains(entity) && liveness.holdsLease();
        }

        @Override
        public void release(String entity) {
            owners.invalidate(entity);
            if (!owned.remove(entity) || !redis.isUp()) {
                return; // a claim left behind in Redis still names this node, which claims it again when asked
            }
            try {
                redis.sync().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {keys.owner(name, entity)}, self);
            } catch (RedisException e) {
                redis.failed(e);
            }
        }

        void dropAll() {
            for (String entity : owned) {
                if (owned.remove(entity)) {
                    try {
                        owner.lost(entity);
                    } catch (RuntimeException e) {
                        log.error("cluster: dropping {} {} failed", name, entity, e);
                    }
                }
            }
        }
    }
}
