package org.parley.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class InvalidatedCacheTest {
    private final Map<String, String> store = new HashMap<>();
    private final List<String> reads = new ArrayList<>();

    private String read(String key) {
        reads.add(key);
        return store.getOrDefault(key, "");
    }

    @Test
    void readsTheStoreOnceUntilTheKeyChanges() {
        InvalidatedCache<String> cache = new InvalidatedCache<>(100, Duration.ofMinutes(10));
        cache.listen(new LocalInvalidations(), "test");
        store.put("alice", "v1");
        assertThat(cache.get("alice", this::read)).isEqualTo("v1");
        store.put("alice", "v2");
        assertThat(cache.get("alice", this::read)).isEqualTo("v1");
        cache.changed("alice");
        assertThat(cache.get("alice", this::read)).isEqualTo("v2");
        assertThat(reads).containsExactly("alice", "alice");
    }

    @Test
    void aChangeHeardFromAnotherNodeDropsTheCopy() {
        List<Consumer<String>> handlers = new ArrayList<>();
        Invalidations otherNodes = (name, handler) -> {
            handlers.add(handler);
            return key -> { };
        };
        InvalidatedCache<String> cache = new InvalidatedCache<>(100, Duration.ofMinutes(10));
        cache.listen(otherNodes, "test");
        store.put("alice", "v1");
        cache.get("alice", this::read);
        store.put("alice", "v2");
        handlers.get(0).accept("alice");
        assertThat(cache.get("alice", this::read)).isEqualTo("v2");
        store.put("alice", "v3");
        handlers.get(0).accept(null); // invalidations may have been missed: everything goes
        assertThat(cache.get("alice", this::read)).isEqualTo("v3");
    }

    @Test
    void aReadThatRacedAChangeIsNotKept() {
        InvalidatedCache<String> cache = new InvalidatedCache<>(100, Duration.ofMinutes(10));
        cache.listen(new LocalInvalidations(), "test");
        store.put("alice", "old");
        // The change lands while the read is under way: what it read may predate the change.
        assertThat(cache.get("alice", key -> {
            String v = read(key);
            store.put("alice", "new");
            cache.changed("alice");
            return v;
        })).isEqualTo("old");
        assertThat(cache.get("alice", this::read)).isEqualTo("new");
    }

    @Test
    void sizeZeroReadsTheStoreEveryTime() {
        InvalidatedCache<String> cache = new InvalidatedCache<>(0, Duration.ofMinutes(10));
        cache.listen(new LocalInvalidations(), "test");
        cache.get("alice", this::read);
        cache.get("alice", this::read);
        assertThat(reads).hasSize(2);
    }

    /**
     * The age limit is a safety net, not a schedule: the block lists (say) of a thousand users read
     * in the same second after a start must not all be read again in one second ten minutes later,
     * when every one of those users' next stanzas would wait for the store at once.
     */
    @Test
    void copiesReadTogetherAreReadAgainSpreadOutNotAllAtOnce() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        InvalidatedCache<String> cache = new InvalidatedCache<>(10_000, Duration.ofMinutes(10), now::get,
                new java.util.Random(3));
        for (int u = 0; u < 1000; u++) {
            cache.get("u" + u, this::read);
        }
        int most = 0;
        for (int second = 1; second <= 900; second++) {
            now.set(java.util.concurrent.TimeUnit.SECONDS.toNanos(second));
            reads.clear();
            for (int u = 0; u < 1000; u++) {
                cache.get("u" + u, this::read);
            }
            if (second < 300) {
                assertThat(reads).as("second %d: half the age is never reached", second).isEmpty();
            }
            most = Math.max(most, reads.size());
        }
        assertThat(most).as("store reads in the busiest second").isLessThan(20);
    }
}
