package org.parley.net;

import org.parley.config.C2sSettings;

/**
 * The arithmetic of inbound shaping, after ejabberd's shapers: two token buckets, bytes per second
 * and stanzas per second, each with a burst, and how long a client has been held back without a
 * break. {@link InboundShaper} applies it to a Netty connection (it stops reading), a BOSH session
 * to its requests (it holds them back). Not thread-safe: one owner at a time.
 */
final class InboundRates {

    /** Settings: rates per second, bursts, and how long continuous throttling may last. */
    record Limits(long bytesPerSecond, long byteBurst, long stanzasPerSecond, long stanzaBurst, long persistNanos) {

        /** The {@code c2s.*} shaping settings, which every client transport applies. */
        static Limits of(C2sSettings c2s) {
            return new Limits(c2s.maxInboundBytesPerSecond(), c2s.inboundByteBurst(),
                    c2s.maxInboundStanzasPerSecond(), c2s.inboundStanzaBurst(), c2s.shapingGrace().toNanos());
        }
    }

    private final Limits limits;
    private double bytes;
    private double stanzas;
    private long refilled = System.nanoTime();
    private long pausedUntil;
    /** When the current run of throttling began; 0 when the client is within its rates. */
    private long throttledSince;

    InboundRates(Limits limits) {
        this.limits = limits;
        this.bytes = limits.byteBurst();
        this.stanzas = limits.stanzaBurst();
    }

    /**
     * Takes what arrived from the buckets; returns how many nanoseconds the client must now wait
     * (0 when it is within its rates). {@code pausing} says whether the owner still holds the client
     * back from an earlier call, so a run of throttling is not taken as over.
     */
    long spend(long byteCount, long stanzaCount, boolean pausing) {
        long now = System.nanoTime();
        double seconds = (now - refilled) / 1e9;
        refilled = now;
        bytes = Math.min(limits.byteBurst(), bytes + seconds * limits.bytesPerSecond()) - byteCount;
        stanzas = Math.min(limits.stanzaBurst(), stanzas + seconds * limits.stanzasPerSecond()) - stanzaCount;
        double wait = Math.max(-bytes / limits.bytesPerSecond(), -stanzas / limits.stanzasPerSecond());
        if (wait <= 0) {
            if (!pausing && now > pausedUntil + 1_000_000_000L) {
                throttledSince = 0; // a second within the rates since the last pause: the run is over
            }
            return 0;
        }
        if (throttledSince == 0) {
            throttledSince = now;
        }
        long nanos = (long) (wait * 1e9);
        pausedUntil = Math.max(pausedUntil, now + nanos);
        return nanos;
    }

    /** Nanoseconds left of the pause the client owes; 0 or less when it may go on. */
    long pauseLeft() {
        return pausedUntil - System.nanoTime();
    }

    /**
     * Whether the client has been held back without a break for longer than allowed, or has already
     * sent so much that the pause it earned would take it past that.
     */
    boolean abusive() {
        return throttledSince != 0
                && Math.max(System.nanoTime(), pausedUntil) - throttledSince > limits.persistNanos();
    }
}
