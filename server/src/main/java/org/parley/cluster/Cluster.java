package org.parley.cluster;

import io.lettuce.core.RedisException;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.MeterRegistry;
import org.parley.config.ClusterSettings;
import org.parley.route.Directory;
import org.parley.route.Handlers;
import org.parley.route.Router;
import org.parley.session.Session;
import org.parley.session.SessionListener;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StreamError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster pieces of one node, wired by constructor: the Redis link, the directory, the bus
 * and the liveness round. The server creates it before the router (which needs
 * {@link #directory()}), {@link #start(Router, Handlers) starts} it before accepting clients and
 * {@link #close() closes} it after its streams have ended.
 */
public final class Cluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

    private final String self;
    private final ClusterKeys keys;
    private final RedisLink redis;
    private final NodeLiveness liveness;
    private final NodeBus bus;
    private final ClusterDirectory directory;
    private final ScheduledExecutorService timer;
    private final RedisUserLocks userLocks;
    private final RedisInvalidations invalidations;
    private Router router;
    private Handlers handlers;

    public Cluster(ClusterSettings config, MeterRegistry meters) {
        if (!config.clustered()) {
            throw new IllegalArgumentException("cluster.nodeId is not set");
        }
        this.self = config.nodeId();
        this.keys = new ClusterKeys(config.keyPrefix());
        this.timer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("parley-cluster", true));
        this.redis = new RedisLink(config.redisUrl(), REDIS_TIMEOUT, meters);
        this.liveness = new NodeLiveness(redis, keys, self, config.nodeTtl());
        this.bus = new NodeBus(redis, keys, liveness, timer, meters);
        this.directory = new ClusterDirectory(self, new DirectoryTable(redis, keys), liveness, bus, redis,
                config.nodeTtl());
        this.userLocks = new RedisUserLocks(redis, keys);
        this.invalidations = new RedisInvalidations(redis, keys);
        redis.subscribe(keys.directoryChannel(), directory::invalidate);
        redis.subscribe(keys.bus(self), bus::received);
        redis.onDisconnect(directory::invalidateAll);
    }

    public Directory directory() {
        return directory;
    }

    /** Per-user locks that exclude the other nodes too. */
    public org.parley.module.UserLocks userLocks() {
        return userLocks;
    }

    /** Cache invalidations that reach every node. */
    public org.parley.module.Invalidations invalidations() {
        return invalidations;
    }

    public String nodeId() {
        return self;
    }

    /** Connects (a node also starts without Redis, serving local sessions) and begins the liveness round. */
    public void start(Router router, Handlers handlers) {
        this.router = router;
        this.handlers = handlers;
        bus.start(new Receiver());
        round();
        long every = liveness.renewInterval().toMillis();
        timer.scheduleWithFixedDelay(this::round, every, every, TimeUnit.MILLISECONDS);
        log.info("cluster node {} ({}Redis reachable)", self, redis.isUp() ? "" : "NOT ");
    }

    /** Whether this node currently uses Redis (false during an outage). */
    public boolean redisUp() {
        return redis.isUp();
    }

    /**
     * Renews the liveness key; after a start or an outage, first makes the directory match the
     * local table again. Redis counts as up only once that is done.
     */
    private void round() {
        try {
            if (!redis.connect()) {
                return;
            }
            liveness.renew();
            if (!redis.isUp()) {
                directory.republish();
                redis.markUp();
            }
        } catch (RedisException e) {
            redis.failed(e);
        } catch (RuntimeException e) {
            log.error("cluster: liveness round failed", e);
        }
    }

    /**
     * The clean stop, after the server ended its streams: sends what is batched, stops
     * receiving (senders then fall back to offline storage), finishes what was received, and
     * removes this node from the directory and the liveness keys.
     */
    @Override
    public void close() {
        timer.shutdownNow();
        bus.flush();
        redis.unsubscribeAll();
        bus.drain();
        if (redis.isUp()) {
            try {
                directory.forgetSelf();
                liveness.remove();
            } catch (RedisException e) {
                log.warn("cluster: could not remove node {} from Redis; its entries expire with its liveness key",
                        self, e);
            }
        }
        redis.close();
    }

    /** What arrives over the bus, turned into router and session calls. */
    private final class Receiver implements NodeBus.Receiver {
        @Override
        public void deliver(Jid target, Stanza stanza) {
            router.deliverLocally(stanza, directory.localSession(target));
        }

        @Override
        public void close(Jid target, String sid, StreamError error) {
            Session replaced = directory.takeReplaced(target, sid);
            if (replaced == null) {
                return;
            }
            for (SessionListener l : handlers.listeners()) {
                try {
                    l.replacedElsewhere(replaced);
                } catch (RuntimeException e) {
                    log.error("session listener failed", e);
                }
            }
            replaced.close(error);
        }

        @Override
        public void undeliverable(Stanza stanza) {
            router.deliverLocally(stanza, null);
        }
    }
}
