package org.parley.feature.muc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.parley.session.FanOut;
import org.parley.xmpp.Stanza;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a clustered room sends, in the room's order, when its messages wait for their archive
 * commit ({@link RoomServices#durableFirst}) outside the room's lock: the room decides a message
 * under its lock (stanza-id, history, recipients) and queues its copies here with the commit's
 * future; whatever the room sends after it (presences, history to a joiner, the next messages)
 * queues behind it, and goes out only once everything before it is out. So nothing leaves before
 * the messages ahead of it are durable, and the room's lock is free for its next stanza meanwhile.
 *
 * <p>Barriers complete in submission order ({@code ArchiveWriter}), so whoever finds the head's
 * commit done (the room's own thread, or the thread of a commit's completion) sends from the head
 * while heads are done; one sender at a time, so the copies keep the order they were queued in. A
 * failed commit's copies are not sent: its sender gets the answer instead.
 *
 * <p>Bounded: past {@code maxCopies} stanzas queued, the room's thread (a virtual thread) waits
 * for the queue to shrink, holding the room as a full connection would; it never waits longer
 * than the commit's timeout, after which the head fails and goes.
 */
final class RoomOutbox {
    private static final Logger log = LoggerFactory.getLogger(RoomOutbox.class);
    /** The longest the room's thread waits for space: a stuck sender never stops a room for good. */
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** A run of stanzas to send together, after {@code durable} (null: nothing to wait for). */
    private static final class Batch {
        final CompletableFuture<Void> durable;
        final List<Stanza> copies;
        final Runnable then;
        final Function<Throwable, Stanza> failed;

        Batch(CompletableFuture<Void> durable, List<Stanza> copies, Runnable then, Function<Throwable, Stanza> failed) {
            this.durable = durable;
            this.copies = copies;
            this.then = then;
            this.failed = failed;
        }
    }

    private final Consumer<Stanza> out;
    private final int maxCopies;
    private final ArrayDeque<Batch> queue = new ArrayDeque<>();
    /** Stanzas queued (guarded by this). */
    private int queued;
    /** The thread sending from the head, or null (guarded by this). */
    private Thread sending;

    /**
     * @param out       where the room's stanzas go
     * @param maxCopies stanzas queued past which the room's thread waits
     */
    RoomOutbox(Consumer<Stanza> out, int maxCopies) {
        this.out = out;
        this.maxCopies = maxCopies;
    }

    /** Sends {@code s} now, unless something the room sent before waits: then behind it. */
    void send(Stanza s) {
        synchronized (this) {
            if (!queue.isEmpty() || sending != null) {
                Batch tail = queue.peekLast();
                if (tail == null || tail.durable != null) {
                    tail = new Batch(null, new ArrayList<>(), null, null);
                    queue.addLast(tail);
                }
                tail.copies.add(s);
                queued++;
                awaitSpace();
                return;
            }
            sending = Thread.currentThread();
        }
        try {
            out.accept(s);
        } finally {
            drain(true);
        }
    }

    /**
     * Sends {@code copies}, then runs {@code then} (may be null), once {@code durable} completed
     * and everything queued before is out; if it failed, sends what {@code failed} makes of the
     * failure instead (null: nothing).
     */
    void sendWhenDurable(CompletableFuture<Void> durable, List<Stanza> copies, Runnable then,
                         Function<Throwable, Stanza> failed) {
        synchronized (this) {
            queue.addLast(new Batch(durable, copies, then, failed));
            queued += copies.size();
        }
        // On a thread of its own: the commit completes on the archive writer's thread, which must
        // not wait for a fan-out (FanOut may wait for a busy event loop).
        durable.whenComplete((v, e) -> Thread.ofVirtual().name("parley-muc-outbox").start(() -> drain(false)));
        synchronized (this) {
            awaitSpace();
        }
    }

    /** Under the monitor: the room's thread waits while the queue is over its bound. */
    private void awaitSpace() {
        if (!Thread.currentThread().isVirtual() || sending == Thread.currentThread()) {
            // A thread that must never wait (an event loop) goes over the bound instead, and so
            // does the sender itself (a stanza it sends comes back to the room on its thread).
            return;
        }
        long deadline = System.nanoTime() + MAX_WAIT_NANOS;
        while (queued > maxCopies) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Sends from the head while the head is ready; {@code holding} when the caller already is
     * the sender. Whoever finds another thread sending leaves it to that thread, which looks at
     * the head again before it stops.
     */
    private void drain(boolean holding) {
        synchronized (this) {
            if (!holding) {
                if (sending != null) {
                    return;
                }
                sending = Thread.currentThread();
            }
        }
        while (true) {
            Batch b;
            synchronized (this) {
                b = queue.peekFirst();
                if (b == null || (b.durable != null && !b.durable.isDone())) {
                    sending = null;
                    return;
                }
                queue.pollFirst();
                queued -= b.copies.size();
                notifyAll();
            }
            try {
                send(b);
            } catch (RuntimeException e) {
                log.error("muc: sending a room's stanzas failed", e);
            }
        }
    }

    private void send(Batch b) {
        Throwable failure = b.durable != null && b.durable.state() == Future.State.FAILED ? b.durable.exceptionNow() : null;
        if (failure != null) {
            Stanza answer = b.failed == null ? null : b.failed.apply(failure);
            if (answer != null) {
                out.accept(answer);
            }
            return;
        }
        try (FanOut fanOut = FanOut.open()) {
            for (Stanza s : b.copies) {
                out.accept(s);
            }
        }
        if (b.then != null) {
            b.then.run();
        }
    }
}
