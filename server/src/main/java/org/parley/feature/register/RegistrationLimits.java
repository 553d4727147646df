package org.parley.feature.register;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How fast accounts may be registered in-band: at most {@code perAddress} accounts from one
 * address (IPv6: its /64) within {@code window} of the first, and across all addresses at most
 * {@code perHour} an hour (a token bucket that refills evenly, starting full). The address table
 * is bounded. Thread-safe.
 */
final class RegistrationLimits {
    private static final long MAX_ADDRESSES = 100_000;

    private final int perAddress;
    private final double perHour;
    private final Clock clock;
    private final Cache<String, Integer> addresses;
    private double tokens;
    private Instant refilled;

    RegistrationLimits(int perAddress, Duration window, int perHour, Clock clock) {
        this.perAddress = perAddress;
        this.perHour = perHour;
        this.clock = clock;
        this.addresses = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(MAX_ADDRESSES).build();
        this.tokens = perHour;
        this.refilled = clock.instant();
    }

    /** Whether {@code address} may register one more account now; if so, it is counted. */
    boolean take(String address) {
        boolean[] fits = {false};
        addresses.asMap().compute(address, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= perAddress || !takeGlobal()) {
                return n;
            }
            fits[0] = true;
            return count + 1;
        });
        return fits[0];
    }

    /** Gives back what {@link #take} counted, for a registration that failed after all (a taken name). */
    void giveBack(String address) {
        addresses.asMap().computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
        synchronized (this) {
            tokens = Math.min(perHour, tokens + 1);
        }
    }

    private synchronized boolean takeGlobal() {
        Instant now = clock.instant();
        double hours = Duration.between(refilled, now).toNanos() / 3.6e12;
        if (hours > 0) {
            tokens = Math.min(perHour, tokens + hours * perHour);
            refilled = now;
        }
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
