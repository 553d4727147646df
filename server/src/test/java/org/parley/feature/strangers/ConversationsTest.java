package org.parley.feature.strangers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The memory of who wrote to whom (StrangersPolicyTest shows a reply passing through it end to end). */
class ConversationsTest {
    private final AtomicLong nanos = new AtomicLong(1_000);

    /** SipHash's reference key, 00 01 .. 0f, as the two little-endian halves. */
    private static RandomGenerator referenceKey() {
        long[] halves = {0x0706050403020100L, 0x0f0e0d0c0b0a0908L};
        int[] next = {0};
        return () -> halves[next[0]++];
    }

    private Conversations table(int capacity, Duration ttl) {
        return new Conversations(capacity, ttl, nanos::get, referenceKey());
    }

    @Test
    void fingerprintIsSipHash24OfTheUtf16Pair() {
        // values of a byte-wise SipHash-2-4 (checked against the paper's vectors) of UTF-16LE user NUL peer
        Conversations t = table(64, Duration.ofMinutes(1));
        assertThat(t.fingerprint("alice", "bob@example.com")).isEqualTo(-2494304405680376270L);
        assertThat(t.fingerprint("", "x")).isEqualTo(-2214873606182228309L);
        assertThat(t.fingerprint("römer", "😀@ex.org")).isEqualTo(-1953503732275970239L);
    }

    @Test
    void remembersAPairOneWayUntilItsTimeToLive() {
        Conversations t = table(1_000, Duration.ofMinutes(1));
        t.put("alice", "bob@x.org");
        assertThat(t.contains("alice", "bob@x.org")).isTrue();
        assertThat(t.contains("bob", "alice@x.org")).isFalse();
        assertThat(t.contains("alic", "ebob@x.org")).isFalse();
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(t.contains("alice", "bob@x.org")).isTrue();
        t.put("alice", "bob@x.org"); // writing again starts the time to live again
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(t.contains("alice", "bob@x.org")).isTrue();
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(t.contains("alice", "bob@x.org")).isFalse();
    }

    @Test
    void boundedAndTheLeastRecentlyWrittenGoFirst() {
        Conversations roomy = table(8_000, Duration.ofDays(1));
        for (int i = 0; i < 800; i++) {
            roomy.put("a", "p" + i + "@x.org");
        }
        assertThat(kept(roomy, "a")).isEqualTo(800);

        Conversations t = table(800, Duration.ofDays(1));
        assertThat(t.capacity()).isEqualTo(800);
        for (int i = 0; i < 800; i++) {
            t.put("old", "p" + i + "@x.org");
        }
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        for (int i = 0; i < 800; i++) {
            t.put("new", "p" + i + "@x.org");
        }
        int oldKept = kept(t, "old");
        int newKept = kept(t, "new");
        assertThat(oldKept + newKept).isLessThanOrEqualTo(800);
        // a bucket of 8 makes room by evicting its oldest pair: the new ones are most of what is held
        // (not all: random fingerprints fill some buckets with more than 8 new pairs)
        assertThat(newKept).isGreaterThan(600);
    }

    private static int kept(Conversations t, String user) {
        int n = 0;
        for (int i = 0; i < 800; i++) {
            n += t.contains(user, "p" + i + "@x.org") ? 1 : 0;
        }
        return n;
    }
}
