package org.parley.feature.sm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import org.parley.session.ClientStream;
import org.parley.session.Session;
import org.parley.session.StreamObserver;
import org.parley.xml.Element;

/**
 * The stream management state of one session: the count of client stanzas handled, and the
 * stanzas sent to the client that it has not acknowledged yet, with when they were queued.
 * Counts are kept as totals; only the wire carries them modulo 2^32.
 */
final class SmState implements StreamObserver {

    /** A stanza sent to the client, {@code seq} the count of stanzas sent up to and including it. */
    record Pending(long seq, Element stanza, Instant queued) {
    }

    /** What the state asks of its module; keeps this class free of routing and timers. */
    interface Owner {
        /** The session is gone: these stanzas never reached the client. */
        void undeliverable(SmState state, List<Pending> stanzas);

        /** The client stopped acknowledging with too much queued, or the queue hit its hard ceiling. */
        void overflow(SmState state);

        /** The connection dropped; start the resumption window. */
        void detached(SmState state);

        Instant now();

        /**
         * A stanza was queued for a resumable session: record it where another node finds it
         * (without blocking); returns the record's completion, or null.
         */
        default CompletionStage<?> logged(SmState state, Pending p) {
            return null;
        }

        /**
         * The oldest stanza the client has not acknowledged changed: queued at {@code oldest}, or
         * none (null). Called under the state's lock, in the order of the changes: must not block.
         */
        default void unconfirmed(SmState state, Instant oldest) {
        }

        /**
         * The client acknowledged up to {@code acked}; the record of what was sent may drop what
         * is up to {@code forget} (-1: nothing).
         */
        default void acknowledged(SmState state, long acked, long forget) {
        }

        /** The node stops: record what another node needs to resume the session; until when, or null. */
        default Instant handedOver(SmState state) {
            return null;
        }
    }

    /**
     * How long an acknowledged stanza stays in the log: another node that adopts the session after
     * its node died hands over again what was archived in the last moments before the death,
     * except what the log shows the client had (see {@link StreamManagementModule}).
     */
    static final Duration KEEP_ACKED = Duration.ofSeconds(5);

    final String id;
    final String username;
    final ClientStream stream;
    /** Null until a session continued from another node is bound (see {@link #session()}). */
    private volatile Session session;
    final boolean resumable;
    final Duration timeout;
    private final Owner owner;
    private final int requestEvery;
    private final Limits limits;

    private volatile long handled; // client stanzas handled; the session's mailbox writes it
    private final ArrayDeque<Pending> unacked = new ArrayDeque<>();
    /** Acknowledged, still in the log for {@link #KEEP_ACKED} (only while resumable). */
    private final ArrayDeque<Pending> ackedLogged = new ArrayDeque<>();
    private long sent;
    private long acked;
    private int sinceRequest;
    private Instant lastProgress; // when the client last acknowledged something new, or enabled
    private Instant askedAt; // when the oldest ack request still unanswered was written; null if none
    private boolean ended;
    private boolean overflowed;
    private ScheduledFuture<?> expiry;
    private final Object ackOrder = new Object();
    private CompletableFuture<Void> acks = CompletableFuture.completedFuture(null); // guarded by ackOrder
    /** The record of the stanza last seen by {@link #sent}; read right after it, under the stream's output lock. */
    private CompletionStage<?> record;

    /**
     * When a session holds too much unacknowledged. A queue past {@code soft} is fine while the
     * client keeps acknowledging (a burst is still on its way to it: it cannot acknowledge what has
     * not reached it); the session ends once it has acknowledged nothing new for {@code grace}, or
     * at once past {@code hard}, which bounds the memory one session can hold.
     */
    record Limits(int soft, int hard, Duration grace) {
    }

    SmState(String id, ClientStream stream, boolean resumable, Duration timeout, Owner owner, int requestEvery,
            Limits limits) {
        this.id = id;
        this.username = stream.username();
        this.stream = stream;
        this.session = stream.session();
        this.resumable = resumable;
        this.timeout = timeout;
        this.owner = owner;
        this.requestEvery = requestEvery;
        this.limits = limits;
        this.lastProgress = owner.now();
    }

    /**
     * The state of a session continued here from another node: {@code handled} client stanzas,
     * {@code acked} server stanzas acknowledged, then {@code resent} (oldest first, numbered from
     * {@code acked + 1}) written again and unacknowledged.
     */
    SmState(String id, ClientStream stream, Duration timeout, Owner owner, int requestEvery, Limits limits,
            long handled, long acked, List<Pending> resent) {
        this(id, stream, true, timeout, owner, requestEvery, limits);
        this.handled = handled;
        this.acked = acked;
        this.unacked.addAll(resent);
        this.sent = acked + resent.size();
    }

    /** Records the resent stanzas where another node finds them, once the session is bound. */
    void logAll() {
        List<Pending> all;
        synchronized (this) {
            all = new ArrayList<>(unacked);
            if (!all.isEmpty()) {
                owner.unconfirmed(this, all.getFirst().queued());
            }
        }
        for (Pending p : all) {
            owner.logged(this, p);
        }
    }

    /** The bound session. */
    Session session() {
        Session s = session;
        if (s == null) {
            s = stream.session();
            session = s;
        }
        return s;
    }

    @Override
    public void received() {
        handled++;
    }

    long handled() {
        return handled;
    }

    @Override
    public CompletionStage<?> recorded() {
        CompletionStage<?> r = record;
        record = null;
        return r;
    }

    @Override
    public Element sent(Element stanza) {
        List<Pending> late = null;
        boolean overflow = false;
        Element request = null;
        synchronized (this) {
            if (ended) {
                late = List.of(new Pending(sent, stanza, owner.now()));
            } else {
                Instant now = owner.now();
                Pending p = new Pending(++sent, stanza, now);
                unacked.add(p);
                if (resumable) {
                    record = owner.logged(this, p); // in seq order: under the stream's output lock
                }
                boolean first = unacked.size() == 1;
                if (first) {
                    owner.unconfirmed(this, now);
                }
                if (overflowing(now)) {
                    overflowed = overflow = true;
                } else if (!session().isDetached() && (++sinceRequest >= requestEvery || first && askedAt == null)) {
                    // Every requestEvery stanzas, and for the first one the client owes: the answer
                    // (or its absence, see ackOverdue) tells soon whether the connection still works.
                    if (sinceRequest >= requestEvery) {
                        sinceRequest = 0;
                    }
                    request = Sm.request(); // written right after this stanza
                    requested(now);
                }
            }
        }
        if (late != null) {
            owner.undeliverable(this, late);
        } else if (overflow) {
            owner.overflow(this);
        }
        return request;
    }

    private boolean overflowing(Instant now) {
        int queued = unacked.size();
        return !overflowed && queued > limits.soft()
                && (queued > limits.hard() || Duration.between(lastProgress, now).compareTo(limits.grace()) >= 0);
    }

    /** An ack request goes out now (after a stanza, or from the timer). */
    synchronized void requested(Instant now) {
        if (askedAt == null) {
            askedAt = now;
        }
    }

    /**
     * True once per unanswered request, when the client has left an ack request unanswered for
     * {@code timeout}: the connection is most likely dead (a phone that lost its network without
     * the TCP connection noticing), so it is better dropped and the session detached.
     */
    synchronized boolean ackOverdue(Duration timeout) {
        if (ended || askedAt == null || Duration.between(askedAt, owner.now()).compareTo(timeout) < 0) {
            return false;
        }
        askedAt = null;
        return true;
    }

    /**
     * True once, when the client has left more than the soft limit unacknowledged for the grace
     * period without acknowledging anything new: the timer's check, for when nothing more is sent.
     */
    boolean stalled() {
        boolean stalled;
        synchronized (this) {
            stalled = !ended && overflowing(owner.now());
            overflowed |= stalled;
        }
        return stalled;
    }

    @Override
    public Instant handOver() {
        return resumable ? owner.handedOver(this) : null;
    }

    @Override
    public Instant keepDetached() {
        if (!resumable) {
            return null;
        }
        Instant until = owner.now().plus(timeout);
        owner.detached(this);
        return until;
    }

    /**
     * Applies the client's handled count 'h' (modulo 2^32). Returns null when fine, or the
     * handled-count-too-high element when it acknowledges more than was sent.
     */
    Element ack(long h) {
        long total;
        long forget = -1;
        synchronized (this) {
            total = acked + Math.floorMod(h - acked, Sm.MOD);
            if (total > sent) {
                return Sm.handledCountTooHigh(h, sent);
            }
            askedAt = null; // any answer shows the connection alive
            if (total == acked) {
                return null;
            }
            Instant now = owner.now();
            lastProgress = now;
            for (long i = acked; i < total; i++) {
                Pending p = unacked.poll();
                if (resumable && p != null) {
                    ackedLogged.add(p);
                }
            }
            acked = total;
            Pending oldest = unacked.peek();
            owner.unconfirmed(this, oldest == null ? null : oldest.queued());
            // Kept: what was sent within KEEP_ACKED of the newest entry, and that entry itself (its
            // time tells an adopting node where the log ends).
            Pending newest = unacked.isEmpty() ? ackedLogged.peekLast() : unacked.peekLast();
            Instant horizon = newest == null ? now : newest.queued().minus(KEEP_ACKED);
            while (!ackedLogged.isEmpty() && ackedLogged.peek().queued().isBefore(horizon)
                    && (ackedLogged.size() > 1 || !unacked.isEmpty())) {
                forget = ackedLogged.poll().seq();
            }
        }
        if (resumable) {
            owner.acknowledged(this, total, forget);
        }
        return null;
    }

    synchronized long acked() {
        return acked;
    }

    /**
     * Runs {@code send} once {@code handover} and {@code durable} complete, after the acks
     * requested before it: h never goes back. A failed handover has been handled as undeliverable
     * and is acknowledged all the same; writes that will never be durable are not acknowledged (a
     * later ack covers the count once they are). Not under this object's lock: {@code send} may
     * run at once and takes the stream's output lock, which {@link #sent} is called under.
     */
    void afterHandover(CompletionStage<Void> handover, CompletionStage<Void> durable, Runnable send) {
        synchronized (ackOrder) {
            acks = acks.thenCompose(v -> handover).handle((v, e) -> null)
                    .thenCompose(v -> durable).handle((v, e) -> e == null)
                    .thenAccept(ok -> {
                        if (ok) {
                            send.run();
                        }
                    });
        }
    }

    synchronized boolean hasUnacked() {
        return !unacked.isEmpty();
    }

    /** A snapshot of the unacknowledged stanzas, oldest first, to send again on resumption. */
    synchronized List<Pending> unacked() {
        return new ArrayList<>(unacked);
    }

    @Override
    public synchronized List<Element> unacknowledged() {
        List<Element> out = new ArrayList<>(unacked.size());
        for (Pending p : unacked) {
            out.add(p.stanza());
        }
        return out;
    }

    /** Ends the state: returns what was never acknowledged; later stanzas go the same way at once. */
    synchronized List<Pending> end() {
        ended = true;
        cancelExpiry();
        List<Pending> out = new ArrayList<>(unacked);
        unacked.clear();
        return out;
    }

    synchronized void expiry(ScheduledFuture<?> f) {
        cancelExpiry();
        expiry = f;
    }

    synchronized void cancelExpiry() {
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
    }
}
