package org.parley.cluster;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.parley.session.SerialExecutor;
import org.parley.xml.Element;
import org.parley.xml.SharedEncoding;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StreamError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stanzas between nodes over Redis pub/sub, one channel per node ({@code <prefix>n:<id>:bus}).
 *
 * <p>Outgoing frames are batched per target node; copies of one stanza encoded once for many
 * recipients ({@link SharedEncoding}, a group chat message's fan-out) that follow one another
 * to one node travel as one {@link BusFrame.Kind#MULTICAST} frame, so a room's message costs one
 * frame per node, not one per occupant: a batch leaves when it holds
 * {@link #MAX_BATCH} frames or {@link #LINGER_MICROS} after its first frame, whichever comes
 * first; frames to one node keep their order. PUBLISH answers how many subscribers got a batch:
 * none means the target node is gone (or cut off from Redis), and every stanza of the batch is
 * handed back to {@link Receiver#undeliverable}, which applies the RFC 6121 rules for an absent
 * resource (offline storage for messages) instead of letting it vanish.
 *
 * <p>Incoming frames are processed on virtual threads, serially per target user (or entity), so
 * messages between two users stay in order and blocking work (a database write) holds up nobody
 * else. A batch for an entity's owner that reaches nobody goes back to
 * {@link Receiver#ownerUnreachable} instead, where ownership decides.
 */
final class NodeBus {
    private static final Logger log = LoggerFactory.getLogger(NodeBus.class);
    static final int MAX_BATCH = 64;
    static final long LINGER_MICROS = 1000;
    private static final int STRIPES = 32;

    /** What the bus hands to the rest of the node. Calls may block (they run on virtual threads). */
    interface Receiver {
        /** A stanza from another node for a session of this node. */
        void deliver(Jid target, Stanza stanza);

        /** Another node asks this node to end one of its sessions (resource conflict). */
        void close(Jid target, String sid, StreamError error);

        /** A stanza this node sent could not reach its node. */
        void undeliverable(Stanza stanza);

        /**
         * A stanza for an entity another node believed this node owns.
         *
         * @param passedOn whether a node already passed it on (it is not passed on twice)
         */
        void entity(String kind, String entity, Stanza stanza, boolean passedOn);

        /** A stanza this node sent to an entity's owner could not reach that node ({@code node}). */
        void ownerUnreachable(String kind, String entity, Stanza stanza, String node);
    }

    private final RedisLink redis;
    private final ClusterKeys keys;
    private final NodeLiveness liveness;
    private final ScheduledExecutorService timer;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("parley-bus-", 0).factory());
    private final SerialExecutor[] stripes = new SerialExecutor[STRIPES];
    private final ConcurrentHashMap<String, Outbox> outboxes = new ConcurrentHashMap<>();
    /** Batches published and not yet confirmed (or, failing that, handled here). */
    private final Set<CompletableFuture<Void>> inflight = ConcurrentHashMap.newKeySet();
    private volatile Receiver receiver;
    private final Counter sent;
    private final Counter received;
    private final Counter fellBack;

    NodeBus(RedisLink redis, ClusterKeys keys, NodeLiveness liveness, ScheduledExecutorService timer,
            MeterRegistry meters) {
        this.sent = Counter.builder("parley.cluster.bus.frames.sent")
                .description("stanzas and commands published to other nodes").register(meters);
        this.received = Counter.builder("parley.cluster.bus.frames.received")
                .description("stanzas and commands received from other nodes").register(meters);
        this.fellBack = Counter.builder("parley.cluster.bus.undeliverable")
                .description("stanzas for another node that went to offline handling instead (node dead or Redis down)")
                .register(meters);
        this.redis = redis;
        this.keys = keys;
        this.liveness = liveness;
        this.timer = timer;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new SerialExecutor(workers);
        }
    }

    void start(Receiver r) {
        this.receiver = r;
    }

    void deliver(RemoteSession target, Stanza stanza) {
        SharedEncoding shared = stanza.element().sharedEncoding();
        // A shared copy's XML is written only if it stays alone in its frame (see OutgoingFrame#frame).
        BusFrame frame = shared == null
                ? new BusFrame(BusFrame.Kind.DELIVER, target.jid().toString(), stanza.element().toXml())
                : null;
        enqueue(target.node(), new OutgoingFrame(frame, stanza, shared));
    }

    void close(RemoteSession target, StreamError error) {
        String payload = target.entry().sid() + '\n' + error.condition().name();
        enqueue(target.node(), new OutgoingFrame(new BusFrame(BusFrame.Kind.CLOSE, target.jid().toString(), payload), null));
    }

    /** A stanza for an entity, to the node that owns it (see {@link RedisOwnership}). */
    void toOwner(String node, String kind, String entity, Stanza stanza, boolean passedOn) {
        BusFrame.Kind k = passedOn ? BusFrame.Kind.ENTITY_PASSED_ON : BusFrame.Kind.ENTITY;
        enqueue(node, new OutgoingFrame(new BusFrame(k, kind + '\n' + entity, stanza.element().toXml()), stanza));
    }

    private void enqueue(String node, OutgoingFrame o) {
        outboxes.computeIfAbsent(node, Outbox::new).add(o);
    }

    /** Called on a Lettuce thread with one batch from this node's channel: decode and hand off. */
    void received(String batch) {
        List<BusFrame> frames;
        try {
            frames = BusFrame.decode(batch);
        } catch (IllegalArgumentException e) {
            log.error("cluster: dropping a malformed bus batch", e);
            return;
        }
        received.increment(frames.size());
        for (BusFrame f : frames) {
            if (f.kind() == BusFrame.Kind.MULTICAST) {
                multicast(f);
                continue;
            }
            // An entity's stanzas are handed over one at a time, in order, as a user's are.
            Jid target = f.isEntity() ? null : Jid.parseOrNull(f.jid());
            if (target == null && !f.isEntity()) {
                continue;
            }
            int stripe = Math.floorMod(target == null ? f.jid().hashCode() : target.bare().hashCode(), STRIPES);
            try {
                stripes[stripe].execute(() -> handle(target, f));
            } catch (RejectedExecutionException e) {
                return; // stopping: senders fall back once this node has unsubscribed
            }
        }
    }

    /**
     * One stanza for several sessions of this node: parsed once, and encoded once for all of them
     * again here; each copy joins its recipient's queue, in order with what else came for it.
     */
    private void multicast(BusFrame f) {
        Element template;
        try {
            template = XmlStrings.parse(f.payload());
        } catch (RuntimeException e) {
            log.error("cluster: dropping a malformed multicast frame", e);
            return;
        }
        SharedEncoding shared = new SharedEncoding(template);
        for (String jid : f.jid().split("\n")) {
            Jid target = Jid.parseOrNull(jid);
            if (target == null) {
                continue;
            }
            Stanza copy = Stanza.of(shared.to(jid));
            try {
                stripes[Math.floorMod(target.bare().hashCode(), STRIPES)].execute(() -> receiver.deliver(target, copy));
            } catch (RejectedExecutionException e) {
                return;
            }
        }
    }

    private void handle(Jid target, BusFrame f) {
        Receiver r = receiver;
        switch (f.kind()) {
            case ENTITY, ENTITY_PASSED_ON -> {
                int nl = f.jid().indexOf('\n');
                r.entity(f.jid().substring(0, nl), f.jid().substring(nl + 1), Stanza.of(XmlStrings.parse(f.payload())),
                        f.kind() == BusFrame.Kind.ENTITY_PASSED_ON);
            }
            case DELIVER -> r.deliver(target, Stanza.of(XmlStrings.parse(f.payload())));
            case MULTICAST -> throw new IllegalStateException("multicast frames are split up on arrival");
            case CLOSE -> {
                int nl = f.payload().indexOf('\n');
                StreamError.Condition condition = StreamError.Condition.valueOf(f.payload().substring(nl + 1));
                r.close(target, f.payload().substring(0, nl), StreamError.of(condition, "replaced by a new connection"));
            }
        }
    }

    private void publish(String node, List<OutgoingFrame> batch, CompletableFuture<Void> done) {
        List<BusFrame> frames = new ArrayList<>(batch.size());
        for (OutgoingFrame o : batch) {
            frames.add(o.frame());
        }
        sent.increment(frames.size());
        inflight.add(done);
        done.whenComplete((v, e) -> inflight.remove(done));
        RedisFuture<Long> published;
        try {
            published = redis.async().publish(keys.bus(node), BusFrame.encode(frames));
        } catch (RedisException e) {
            redis.failed(e);
            fallBack(node, batch, done);
            return;
        }
        published.whenComplete((receivers, error) -> {
            if (error != null) {
                redis.failed(error);
                fallBack(node, batch, done);
            } else if (receivers == 0) {
                if (liveness.markDead(node)) {
                    // Said once per episode: stanzas for its users go to offline handling meanwhile.
                    log.warn("cluster: node {} is not listening on its bus; its users count as absent until it is",
                            node);
                }
                fallBack(node, batch, done);
            } else {
                done.complete(null);
            }
        });
    }

    /** The batch's stanzas, in order, to the local undeliverable handling; then {@code done}. */
    private void fallBack(String node, List<OutgoingFrame> batch, CompletableFuture<Void> done) {
        Receiver r = receiver;
        Runnable handle = () -> {
            try {
                for (OutgoingFrame o : batch) {
                    if (o.isEntity()) {
                        int nl = o.entityFrame().jid().indexOf('\n');
                        r.ownerUnreachable(o.entityFrame().jid().substring(0, nl), o.entityFrame().jid().substring(nl + 1),
                                o.stanza(), node);
                    } else {
                        for (Stanza st : o.stanzas()) {
                            fellBack.increment();
                            r.undeliverable(st);
                        }
                    }
                }
            } finally {
                done.complete(null);
            }
        };
        try {
            workers.execute(handle);
        } catch (RejectedExecutionException e) {
            handle.run();
        }
    }

    /**
     * Completes when everything enqueued so far has been published and confirmed, or handled as
     * undeliverable. Batches still lingering are waited for, not hurried: batching stays intact.
     */
    CompletableFuture<Void> handedOver() {
        // Lingering batches first: one published meanwhile is in flight by the time we look there.
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Outbox box : outboxes.values()) {
            CompletableFuture<Void> waiting = box.pendingDone();
            if (waiting != null) {
                all.add(waiting);
            }
        }
        all.addAll(inflight);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** Sends everything still batched; part of a clean stop. */
    void flush() {
        for (Outbox box : outboxes.values()) {
            box.flushNow();
        }
    }

    /** Waits for incoming frames already handed off; call after unsubscribing. */
    void drain() {
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The frames waiting for one node. Publishing under the lock keeps their order. */
    private final class Outbox {
        private final String node;
        private List<OutgoingFrame> pending = new ArrayList<>();
        private CompletableFuture<Void> pendingDone;
        private boolean scheduled;

        Outbox(String node) {
            this.node = node;
        }

        synchronized CompletableFuture<Void> pendingDone() {
            return pendingDone;
        }

        synchronized void add(OutgoingFrame o) {
            if (pendingDone == null) {
                pendingDone = new CompletableFuture<>();
            }
            if (!pending.isEmpty() && pending.get(pending.size() - 1).merge(o)) {
                return; // one more recipient of the frame before: the order of frames is kept
            }
            pending.add(o);
            if (pending.size() >= MAX_BATCH) {
                flushNow();
            } else if (!scheduled) {
                scheduled = true;
                try {
                    timer.schedule(this::lingered, LINGER_MICROS, TimeUnit.MICROSECONDS);
                } catch (RejectedExecutionException e) {
                    scheduled = false;
                    flushNow();
                }
            }
        }

        private synchronized void lingered() {
            scheduled = false;
            flushNow();
        }

        synchronized void flushNow() {
            if (!pending.isEmpty()) {
                List<OutgoingFrame> batch = pending;
                CompletableFuture<Void> done = pendingDone;
                pending = new ArrayList<>();
                pendingDone = null;
                publish(node, batch, done);
            }
        }
    }
}
