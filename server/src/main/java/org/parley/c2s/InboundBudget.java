package org.parley.c2s;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide bound on client input parsed and not yet processed ({@code c2s.maxQueuedBytes}).
 * Each session's own bound ({@code c2s.maxQueuedStanzas}) multiplies by the number of sessions:
 * 1,000 sessions held by a slow store could keep 256,000 parsed stanzas on the heap. This one does
 * not: a transport stops reading from a session that has input waiting while the total is over the
 * bound, and reads again once it fell to half of it, so overload waits in the clients' TCP buffers.
 *
 * <p>A stanza costs its size on the wire plus {@value #STANZA_OVERHEAD} bytes, roughly what its
 * parsed objects add beyond the text. A session with nothing waiting may always hand over one
 * stanza, even over the bound: a user who sends one message at a time is not held behind the
 * floods. The total can pass the bound by one stanza per session and, on TCP, by what a held
 * session's parser was already fed (at most 16 KiB: the rest of a read waits unparsed). Sessions
 * held back are let go in the order they were held, all at once at the low-water mark, so none
 * waits for more than one drain. Thread-safe.
 */
public final class InboundBudget {
    /** Estimated heap bytes of a parsed stanza beyond its wire size: the element, its attribute array and lists. */
    public static final int STANZA_OVERHEAD = 256;

    private final long max;
    private final long lowWater;
    private final AtomicLong queued = new AtomicLong();
    private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    /** @param max estimated bytes of queued input past which sessions with input waiting stop reading */
    public InboundBudget(long max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive: " + max);
        }
        this.max = max;
        this.lowWater = max / 2;
    }

    /** What a stanza of {@code wireBytes} is counted as. */
    public static long cost(int wireBytes) {
        return (long) wireBytes + STANZA_OVERHEAD;
    }

    /** A stanza of this cost was handed to a session. */
    public void queued(long cost) {
        queued.addAndGet(cost);
    }

    /** A stanza of this cost was processed (or dropped with its session): it no longer counts. */
    public void processed(long cost) {
        if (queued.addAndGet(-cost) <= lowWater && !waiting.isEmpty()) {
            wake();
        }
    }

    /** Whether the total is over the bound: a session with input waiting should stop reading. */
    public boolean over() {
        return queued.get() > max;
    }

    /**
     * Runs {@code resume} (on the caller's thread or the thread that processed input) once the
     * total is at or below half the bound; at once if it already is.
     */
    public void whenBelow(Runnable resume) {
        waiting.add(resume);
        // The total may have fallen before the task was queued: check after queueing it, as
        // processed() checks after counting.
        if (queued.get() <= lowWater) {
            wake();
        }
    }

    /** The estimated bytes counted now; for metrics and tests. */
    public long queuedBytes() {
        return queued.get();
    }

    public long max() {
        return max;
    }

    private void wake() {
        Runnable r;
        while ((r = waiting.poll()) != null) {
            r.run();
        }
    }
}
