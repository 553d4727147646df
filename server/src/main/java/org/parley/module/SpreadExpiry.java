package org.parley.module;

import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * A cache entry's time to live drawn from half of a mean to one and a half of it, anew at each
 * write. What the routing path caches per user is read at a user's first stanza, so after a
 * start, or a quiet spell, thousands of entries are read within a second; with one time for
 * all they expired within that second again, and every one of those users' next stanzas waited
 * for a store read at once, a stall of the whole server (BENCHMARKS.md, "A stall every minute").
 * Spread, their reloads stay spread.
 *
 * @param <K> the key
 * @param <V> the value
 */
public final class SpreadExpiry<K, V> implements Expiry<K, V> {
    /** The generator of whichever thread writes the entry: a cache is written from many at once. */
    public static final RandomGenerator PER_THREAD = () -> ThreadLocalRandom.current().nextLong();

    private final long meanNanos;
    private final RandomGenerator random;

    public SpreadExpiry(Duration mean, RandomGenerator random) {
        this.meanNanos = Math.max(2, mean.toNanos());
        this.random = random;
    }

    @Override
    public long expireAfterCreate(K key, V value, long now) {
        return meanNanos / 2 + random.nextLong(meanNanos);
    }

    @Override
    public long expireAfterUpdate(K key, V value, long now, long left) {
        return expireAfterCreate(key, value, now);
    }

    @Override
    public long expireAfterRead(K key, V value, long now, long left) {
        return left;
    }
}
