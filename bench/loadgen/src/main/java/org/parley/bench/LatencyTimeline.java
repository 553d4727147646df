package org.parley.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Each second of the run by send time: how many messages arrived, how many took longer than a
 * threshold, and the longest. A step's p99 says that some messages were late; this says when, so
 * that a stall can be laid beside the server's GC log or its timers. Bounded: the first
 * {@link #SECONDS} seconds from its creation are kept, later ones are not recorded.
 */
final class LatencyTimeline {
    static final int SECONDS = 3600;

    private final long startNanos;
    private final long lateMicros;
    private final AtomicLongArray count = new AtomicLongArray(SECONDS);
    private final AtomicLongArray late = new AtomicLongArray(SECONDS);
    private final AtomicLongArray max = new AtomicLongArray(SECONDS);

    LatencyTimeline(long startNanos, long lateMicros) {
        this.startNanos = startNanos;
        this.lateMicros = lateMicros;
    }

    void record(long sentAtNanos, long micros) {
        if (sentAtNanos < startNanos) {
            return; // the division below would put the second before the start into the first
        }
        long s = (sentAtNanos - startNanos) / 1_000_000_000L;
        if (s >= SECONDS) {
            return;
        }
        int i = (int) s;
        count.incrementAndGet(i);
        if (micros > lateMicros) {
            late.incrementAndGet(i);
        }
        max.accumulateAndGet(i, micros, Math::max);
    }

    /** One line per second that saw a message: epoch second, messages, late ones, longest in ms. */
    void write(Path file) throws IOException {
        long epoch0 = startNanos / 1_000_000_000L;
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            out.println("# epoch_second messages over_" + lateMicros / 1000 + "ms max_ms");
            for (int i = 0; i < SECONDS; i++) {
                long n = count.get(i);
                if (n > 0) {
                    out.printf("%d %d %d %.1f%n", epoch0 + i, n, late.get(i), max.get(i) / 1000.0);
                }
            }
        }
    }
}
