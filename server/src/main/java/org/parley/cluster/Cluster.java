package org.parley.cluster;

import io.lettuce.core.RedisException;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * The cluster pieces of one node, wired by constructor: the Redis link, the directory, the bus,
 * entity ownership and the liveness round. The server creates it before the router (which needs
 * {@link #directory()}), {@link #start(Router, Handlers) starts} it before accepting clients and
 * {@link #close() closes} it after its streams have ended.
 */
public final class Cluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);
    /** How long a stopping node keeps its streams open after leaving the directory, for stanzas on their way. */
    private static final Duration WITHDRAW_GRACE = Duration.ofMillis(500);
    /** How often the timer looks whether a liveness round or a dead-node sweep is due. */
    private static final Duration TICK = Duration.ofMillis(250);

    private final String self;
    private final ClusterKeys keys;
    private final RedisLink redis;
    private final NodeLiveness liveness;
    private final NodeBus bus;
    private final ClusterDirectory directory;
    private final DeliveryCursors cursors;
    private final ScheduledExecutorService timer;
    private final RedisUserLocks userLocks;
    private final RedisInvalidations invalidations;
    private final RedisOwnership ownership;
    /** Runs what may block on the cluster's behalf: clean-up after dead nodes, restoring after an outage. */
    private final ExecutorService worker;
    private final NodeReaper reaper;
    private final AtomicBoolean restoring = new AtomicBoolean();
    private volatile long lastRound;
    private volatile long lastSweep;
    /** Whether sessions a previous life of this node handed over may still wait for their clients. */
    private volatile boolean ownHandovers;
    private volatile long lastHandoverCheck;
    private boolean started;
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
        this.liveness = new NodeLiveness(redis, keys, self, config.nodeTtl(), node -> {
            // Stanzas for its users went to offline storage while it seemed absent: tell every
            // node (that one included) to hand its sessions what waits for them.
            redis.async().publish(keys.restoredChannel(), self);
        });
        this.bus = new NodeBus(redis, keys, liveness, timer, meters);
        DirectoryTable table = new DirectoryTable(redis, keys);
        this.cursors = new DeliveryCursors(redis, keys, self);
        this.directory = new ClusterDirectory(self, table, liveness, bus, redis, cursors, config.nodeTtl());
        this.userLocks = new RedisUserLocks(redis, keys);
        this.invalidations = new RedisInvalidations(redis, keys);
        this.ownership = new RedisOwnership(self, redis, keys, liveness, bus);
        this.worker = Executors.newSingleThreadExecutor(new DefaultThreadFactory("parley-cluster-reaper", true));
        this.reaper = new NodeReaper(self, redis, keys, table, liveness, directory, worker, this::endedElsewhere);
        redis.subscribe(keys.directoryChannel(), directory::invalidate);
        redis.subscribe(keys.restoredChannel(), node -> {
            if (!node.equals(self)) {
                restoreSoon();
            }
        });
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

    /** One owner node per named entity, claimed in Redis. */
    public org.parley.module.Ownership ownership() {
        return ownership;
    }

    public String nodeId() {
        return self;
    }

    /** Connects (a node also starts without Redis, serving local sessions) and begins the liveness round. */
    public void start(Router router, Handlers handlers) {
        this.router = router;
        this.handlers = handlers;
        ownership.start(router);
        bus.start(new Receiver());
        round();
        long every = Math.min(TICK.toMillis(), liveness.renewInterval().toMillis());
        timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
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
        lastRound = System.nanoTime();
        try {
            if (!redis.connect()) {
                return;
            }
            // The renewal vouches for the delivery cursors as of before they were written.
            long asOf = System.currentTimeMillis();
            if (!redis.isUp()) {
                cursors.rewriteAll(); // Redis may have restarted empty, or kept sessions ended meanwhile
            }
            cursors.write();
            Long previousRenewal = liveness.renew(asOf);
            if (!redis.isUp() || previousRenewal == null) {
                redis.resubscribe(); // listening again before anything counts as up
                List<RemoteSession> ended = directory.republish(started ? null : previousRenewal);
                ownHandovers = true; // sessions a previous life handed over may wait: see tick
                redis.markUp();
                reaper.endAll(ended);
                if (started || directory.size() > 0) {
                    // Others may have stored for absent users what was meant for this node's
                    // sessions, and this node for theirs: each node hands its own over.
                    redis.sync().publish(keys.restoredChannel(), self);
                    restoreSoon();
                }
            }
            started = true;
        } catch (RedisException e) {
            redis.failed(e);
        } catch (RuntimeException e) {
            log.error("cluster: liveness round failed", e);
        } finally {
            ownership.checkLease();
        }
    }

    /**
     * Every {@link #TICK}: the liveness round when it is due (a third of the TTL), or at once
     * while Redis is away, so routing resumes soon after it returns; and the look for dead nodes
     * about once a second.
     */
    private void tick() {
        long now = System.nanoTime();
        if (!redis.isUp() || now - lastRound >= liveness.renewInterval().toNanos()) {
            round();
        }
        if (now - lastSweep >= NodeReaper.interval(liveness.ttl()).toNanos()) {
            lastSweep = now;
            reaper.sweepSoon();
            if (redis.isUp()) {
                try {
                    liveness.recheckSilent();
                } catch (RedisException e) {
                    redis.failed(e);
                }
            }
            if (ownHandovers && redis.isUp() && now - lastHandoverCheck >= liveness.ttl().toNanos()) {
                lastHandoverCheck = now; // it reads all of this node's entries: once per TTL at most
                try {
                    worker.execute(this::endExpiredHandovers);
                } catch (RejectedExecutionException e) {
                    // stopping
                }
            }
        }
    }

    /**
     * Sessions this node handed over before a restart, nobody resumed and whose window closed end
     * here, as the clean-up after the stopped node would have ended them had it stayed away.
     */
    private void endExpiredHandovers() {
        try {
            boolean[] waiting = {false};
            reaper.endAll(directory.expiredHandovers(waiting));
            ownHandovers = waiting[0];
        } catch (RedisException e) {
            redis.failed(e);
        }
    }

    /**
     * Sessions of a dead node (or of this node's previous life) end here, for their contacts' sake:
     * every listener closes them all, in order ({@link SessionListener#closedAll}), so what a
     * listener writes per session (the logout time) shares transactions.
     */
    private void endedElsewhere(List<RemoteSession> gone) {
        for (SessionListener l : handlers.listeners()) {
            try {
                l.closedAll(gone);
            } catch (RuntimeException e) {
                log.error("session listener failed", e);
            }
        }
    }

    /** Tells the listeners that every local session is visible again (coalesced: one pass at a time). */
    private void restoreSoon() {
        if (!restoring.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.execute(() -> {
                restoring.set(false);
                for (Session s : directory.all()) {
                    for (SessionListener l : handlers.listeners()) {
                        try {
                            l.routesRestored(s);
                        } catch (RuntimeException e) {
                            log.error("session listener failed", e);
                        }
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            restoring.set(false); // stopping
        }
    }

    /**
     * The first step of a clean stop, while this node's streams are still open: marks its
     * sessions released in the directory, so the other nodes route their users' stanzas elsewhere
     * (other resources, offline storage), then waits {@link #WITHDRAW_GRACE} for the stanzas
     * already on their way, which still reach the open streams. Without it, what another node
     * sent between a stream's end and its unbind was written to a closing stream and lost. Each
     * session then ends here, or is {@link #handOver handed over} for its client to resume it
     * on another node.
     */
    public void withdraw() {
        if (!redis.isUp()) {
            return;
        }
        try {
            directory.releaseAll();
        } catch (RedisException e) {
            redis.failed(e);
            return;
        }
        try {
            Thread.sleep(WITHDRAW_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * At a clean stop, a session whose client may resume it on another node until
     * {@code until}: it stays in the directory for that (released: nothing is routed to it) and
     * leaves this node without being ended (see {@link ClusterDirectory#handOver}).
     */
    public void handOver(Session session, java.time.Instant until) {
        directory.handOver(session, until.toEpochMilli());
    }

    /**
     * The clean stop, after the server ended its streams: sends what is batched, stops
     * receiving (senders then fall back to offline storage), finishes what was received, and
     * removes this node from the directory and the liveness keys.
     */
    @Override
    public void close() {
        // Let a liveness round or a sweep finish: interrupting its Redis command would count as
        // an outage and skip the removals below, leaving this node's claims held until its TTL.
        timer.shutdown();
        worker.shutdown();
        try {
            if (!timer.awaitTermination(3, TimeUnit.SECONDS)) {
                timer.shutdownNow();
            }
            if (!worker.awaitTermination(3, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        bus.flush();
        redis.unsubscribeAll();
        bus.drain();
        if (redis.isUp()) {
            try {
                liveness.remove(directory.forgetSelf());
                cursors.forgetSelf();
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

        @Override
        public void entity(String kind, String entity, Stanza stanza, boolean passedOn) {
            ownership.received(kind, entity, stanza, passedOn);
        }

        @Override
        public void ownerUnreachable(String kind, String entity, Stanza stanza, String node) {
            ownership.unreachable(kind, entity, stanza, node);
        }
    }
}
