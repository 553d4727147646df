package org.parley.module;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * What a feature reads from its store on the routing path (a block list, archiving preferences,
 * an avatar id), cached per key on each node, bounded, and dropped on every node of a cluster when
 * the data changes: whoever changes it calls {@link #changed}, which reaches every node's copy
 * through an {@link Invalidations} topic.
 *
 * @param <V> the cached value, never null (cache "nothing" as an empty value)
 */
public final class InvalidatedCache<V> {
    /** Null when nothing is to be kept. */
    private final Cache<String, V> cache;
    /** Bumped on every invalidation: a load that raced one does not cache what it read. */
    private final AtomicLong generation = new AtomicLong();
    private Invalidations.Topic topic;

    /**
     * @param maxSize keys kept at most (0: none, every read goes to the store)
     * @param maxAge  a safety net for an invalidation lost while a node was cut off from the others,
     *                on average: each entry's is drawn from half of it to one and a half
     */
    public InvalidatedCache(long maxSize, Duration maxAge) {
        // Caffeine evicts in the background: a size of 0 would still keep a value for a moment.
        this(maxSize, maxAge, Ticker.systemTicker(), SpreadExpiry.PER_THREAD);
    }

    /**
     * With a clock and the randomness that spreads each entry's age ({@link SpreadExpiry}: entries
     * read together, a user's at the first stanza, would otherwise all be read again together).
     */
    InvalidatedCache(long maxSize, Duration maxAge, Ticker ticker, RandomGenerator random) {
        this.cache = maxSize == 0 ? null : Caffeine.newBuilder().maximumSize(maxSize)
                .expireAfter(new SpreadExpiry<String, V>(maxAge, random)).ticker(ticker).build();
    }

    /** Opens the topic, unique per feature, on which changes are announced; call from {@link Module#start}. */
    public void listen(Invalidations invalidations, String topicName) {
        topic = invalidations.topic(topicName, this::invalidated);
    }

    /** The cached value of {@code key}, or what {@code load} reads, which is kept unless a change raced it. */
    public V get(String key, Function<String, V> load) {
        if (cache == null) {
            return load.apply(key);
        }
        V cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        long before = generation.get();
        V loaded = load.apply(key);
        if (generation.get() == before) {
            cache.put(key, loaded);
        }
        return loaded;
    }

    /** Tells every node, this one first (before this returns), that the data under {@code key} changed. */
    public void changed(String key) {
        topic.publish(key);
    }

    private void invalidated(String key) {
        generation.incrementAndGet();
        if (cache == null) {
            return;
        }
        if (key == null) {
            cache.invalidateAll();
        } else {
            cache.invalidate(key);
        }
    }
}
