package org.parley.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deliveries made together to many sessions on one thread: the copies of one group chat message
 * or presence. A transport that hands each write to a worker thread (a connection's event loop)
 * may queue the writes of a fan-out there without waking the worker for each one, and wake it once
 * per {@value #WAKE_EVERY} writes and when the fan-out ends. Without that, on a busy or single CPU
 * each copy of a 5,000-occupant fan-out woke an event loop that ran the one write and went back
 * to sleep: a wake-up (an eventfd write, with 60% as many profile samples as the socket writes
 * themselves in the group bench) and thread switches per copy.
 *
 * <p>What a fan-out defers is only when the worker starts: the writes are queued in call order on
 * the worker's own queue, behind and before the same connection's other writes, so a session's
 * order (and stream management's count, which follows it) is what it would be without the fan-out.
 * A fan-out is confined to the thread that opened it; opening one inside another joins the outer.
 *
 * <p>A fan-out on a virtual thread also waits while a worker has more than {@value #MAX_BACKLOG}
 * tasks queued: making a copy costs far less than writing it, so a room's fan-outs (5,000 copies
 * each, and while a room fills one per join) ran ahead of the event loops and queued hundreds of
 * thousands of copies, each holding its stanza until written: memory that outlived young
 * collections and grew the heap by some 400 MB over 5,000 joins. Each wake-up is a marker task in
 * the worker's queue; the fan-out waits for the oldest of its markers not yet reached, so it goes
 * on the moment the worker got through that batch, while the worker still has the rest of the
 * backlog to write (a sleep instead overslept on a loaded machine and left the loops idle). The
 * wait holds the room meanwhile, as a full connection would.
 *
 * <pre>{@code
 * try (FanOut fanOut = FanOut.open()) {
 *     for (...) router.route(copy);
 * }
 * }</pre>
 */
public final class FanOut implements AutoCloseable {
    /** Writes a worker may have queued in a fan-out before it is woken to start on them. */
    static final int WAKE_EVERY = 32;
    /** Tasks queued on a worker past which a fan-out waits for it (looked at every {@value #WAKE_EVERY} writes). */
    static final int MAX_BACKLOG = 8192;
    /** The longest a fan-out waits for one batch: a stuck worker never stops a room for long. */
    private static final long MAX_WAIT_NANOS = 500_000_000L;
    private static final ThreadLocal<FanOut> CURRENT = new ThreadLocal<>();
    /**
     * At DEBUG, each fan-out logs how long after it opened its workers had written its first and
     * last copy (the time of its first and last markers) and when its thread had queued them all:
     * the server's own share of a group chat message's latency, beside what a client measures.
     */
    private static final Logger log = LoggerFactory.getLogger(FanOut.class);

    /** One worker this fan-out queued writes on: writes since its last wake-up, and its markers not yet reached. */
    private static final class Lane {
        final Executor worker;
        int deferred;
        final ArrayDeque<CompletableFuture<Void>> markers = new ArrayDeque<>();

        Lane(Executor worker) {
            this.worker = worker;
        }
    }

    /** How many open() calls on this thread this fan-out answers; it ends when all are closed. */
    private int depth = 1;
    private final List<Lane> lanes = new ArrayList<>(4);
    /** At DEBUG only: when the fan-out opened, its writes, and the marker after its first one. */
    private final long openedNanos;
    private int writes;
    private CompletableFuture<Void> firstMarker;
    private final AtomicLong firstWritten = new AtomicLong();

    private FanOut() {
        openedNanos = log.isDebugEnabled() ? System.nanoTime() : 0;
    }

    /** Opens a fan-out on this thread, or joins the one already open. */
    public static FanOut open() {
        FanOut current = CURRENT.get();
        if (current != null) {
            current.depth++;
            return current;
        }
        FanOut f = new FanOut();
        CURRENT.set(f);
        return f;
    }

    /** The fan-out open on this thread, or null. */
    public static FanOut current() {
        return CURRENT.get();
    }

    /**
     * A transport queued a write on {@code worker} without waking it; the fan-out wakes it (with a
     * marker task, through {@link Executor#execute}) at the first such write, every
     * {@value #WAKE_EVERY} and when it ends, and waits while {@code backlog} (the tasks queued on
     * it) is past {@value #MAX_BACKLOG}.
     */
    public void deferred(Executor worker, IntSupplier backlog) {
        writes++;
        Lane lane = null;
        for (Lane l : lanes) {
            if (l.worker == worker) {
                lane = l;
                break;
            }
        }
        if (lane == null) {
            lane = new Lane(worker);
            lanes.add(lane);
            wake(lane); // the first write to a worker starts it at once: the first recipients wait for nobody
            if (firstMarker == null && openedNanos != 0) {
                firstMarker = lane.markers.peekLast();
                if (firstMarker != null) {
                    firstMarker.thenRun(() -> firstWritten.set(System.nanoTime()));
                }
            }
            return;
        }
        if (++lane.deferred >= WAKE_EVERY) {
            lane.deferred = 0;
            wake(lane);
            if (backlog.getAsInt() > MAX_BACKLOG && Thread.currentThread().isVirtual()) {
                awaitOldest(lane);
            }
        }
    }

    /** Ends the fan-out (or leaves a nested one): wakes every worker with writes still waiting. */
    @Override
    public void close() {
        if (--depth > 0) {
            return;
        }
        CURRENT.remove();
        for (Lane lane : lanes) {
            if (lane.deferred > 0) {
                wake(lane);
            }
        }
        if (openedNanos != 0 && firstMarker != null) {
            trace();
        }
        lanes.clear();
    }

    /** DEBUG: once every worker reached this fan-out's last marker, how long its writes took. */
    private void trace() {
        long opened = openedNanos;
        long made = (System.nanoTime() - opened) / 1000;
        int n = writes;
        AtomicLong first = firstWritten;
        CompletableFuture<?>[] last = lanes.stream().map(l -> l.markers.peekLast()).filter(m -> m != null)
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(last).thenRun(() -> log.debug("fan-out of {} writes on {} workers: first written after {} us,"
                + " last after {} us, all queued after {} us", n, last.length,
                first.get() == 0 ? -1 : (first.get() - opened) / 1000, (System.nanoTime() - opened) / 1000, made));
    }

    /** Queues a marker that wakes the worker and tells when it got this far. */
    private static void wake(Lane lane) {
        CompletableFuture<Void> reached = new CompletableFuture<>();
        try {
            lane.worker.execute(() -> reached.complete(null));
        } catch (RejectedExecutionException e) {
            // The worker is stopping: its connections and what was queued for them go with it.
            return;
        }
        while (!lane.markers.isEmpty() && lane.markers.peekFirst().isDone()) {
            lane.markers.pollFirst();
        }
        lane.markers.addLast(reached);
    }

    /**
     * Waits, on a virtual thread only (never an event loop or another platform thread), until the
     * worker reached the oldest marker it has not reached yet, or {@link #MAX_WAIT_NANOS} passed.
     */
    private static void awaitOldest(Lane lane) {
        CompletableFuture<Void> oldest;
        while ((oldest = lane.markers.peekFirst()) != null && oldest.isDone()) {
            lane.markers.pollFirst();
        }
        if (oldest == null || oldest == lane.markers.peekLast()) {
            return; // nothing of ours ahead but the batch just queued: the backlog is others'
        }
        try {
            oldest.get(MAX_WAIT_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Never completed exceptionally; a worker this slow is left to its own bounds.
        }
    }
}
