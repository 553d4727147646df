package org.parley.bench;

import java.time.Instant;

/**
 * Nanoseconds since the Unix epoch, read from the monotonic clock after one wall-clock anchor.
 * Message bodies carry this value, so a sender and a receiver in the same process compare exact
 * monotonic readings, and processes of one run on the same host stay within microseconds of
 * each other (both anchor on CLOCK_REALTIME at start; drift over a few minutes is negligible).
 */
final class RunClock {
    private final long anchorWallNanos;
    private final long anchorMonoNanos;

    RunClock() {
        Instant now = Instant.now();
        this.anchorMonoNanos = System.nanoTime();
        this.anchorWallNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    long nowNanos() {
        return anchorWallNanos + (System.nanoTime() - anchorMonoNanos);
    }

    long nowMillis() {
        return nowNanos() / 1_000_000L;
    }
}
