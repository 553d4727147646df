package org.parley.feature.strangers;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Who wrote to whom recently: {@code strangers.maxConversations} pairs (user, peer), each kept for
 * {@code strangers.conversationTtl} after the user last wrote to the peer.
 *
 * <p>A pair is a 64-bit SipHash-2-4 fingerprint of the two names under a key drawn at start, so
 * nobody can choose names whose pairs collide; an accidental collision (one in 2^61 per look-up
 * at the default size) would let one stranger's message pass as known. The table is two arrays
 * allocated once, 12 bytes a pair, in buckets of {@value #WAYS}: remembering a pair allocates
 * nothing and stores no reference. A cache of objects (a key string and an entry per pair) kept
 * every first message between two people alive until it was evicted: most of what a chat of many
 * pairs promoted to the old generation, and what the serial collector's young pauses copied
 * (BENCHMARKS.md, "GC pauses and what they copied"). When a bucket is full its least recently
 * written pair makes room.
 */
final class Conversations {
    static final int WAYS = 8;
    private static final int STRIPES = 64;

    private final long k0;
    private final long k1;
    private final int buckets;
    /** Fingerprints; 0 is an empty slot. */
    private final long[] prints;
    /** When each slot's pair was last written, in seconds since {@link #origin}, plus one. */
    private final int[] written;
    private final Object[] locks = new Object[STRIPES];
    private final LongSupplier nanos;
    private final long origin;
    private final long ttlSeconds;

    Conversations(int capacity, Duration ttl) {
        this(capacity, ttl, System::nanoTime, new SecureRandom());
    }

    Conversations(int capacity, Duration ttl, LongSupplier nanos, RandomGenerator random) {
        this.buckets = Math.max(1, (capacity + WAYS - 1) / WAYS);
        this.prints = new long[buckets * WAYS];
        this.written = new int[buckets * WAYS];
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
        this.k0 = random.nextLong();
        this.k1 = random.nextLong();
        this.nanos = nanos;
        this.origin = nanos.getAsLong();
        this.ttlSeconds = Math.max(1, ttl.toSeconds());
    }

    /** The pairs this table can hold at once. */
    int capacity() {
        return prints.length;
    }

    /** {@code user} wrote to {@code peer} now. */
    void put(String user, String peer) {
        long print = fingerprint(user, peer);
        int base = bucket(print) * WAYS;
        int now = now();
        synchronized (lock(base)) {
            int victim = base;
            for (int i = base; i < base + WAYS; i++) {
                if (prints[i] == print) {
                    written[i] = now;
                    return;
                }
                if (written[i] < written[victim]) {
                    victim = i; // empty slots (0) first, then the least recently written
                }
            }
            prints[victim] = print;
            written[victim] = now;
        }
    }

    /** Whether {@code user} wrote to {@code peer} within the time to live (and it is still held). */
    boolean contains(String user, String peer) {
        long print = fingerprint(user, peer);
        int base = bucket(print) * WAYS;
        int now = now();
        synchronized (lock(base)) {
            for (int i = base; i < base + WAYS; i++) {
                if (prints[i] == print) {
                    return now - written[i] < ttlSeconds;
                }
            }
        }
        return false;
    }

    private int bucket(long print) {
        return (int) Long.remainderUnsigned(print, buckets);
    }

    private Object lock(int base) {
        return locks[(base / WAYS) & (STRIPES - 1)];
    }

    private int now() {
        return (int) ((nanos.getAsLong() - origin) / 1_000_000_000L) + 1;
    }

    /** SipHash-2-4 of the UTF-16LE bytes of {@code user}, a NUL (in no JID) and {@code peer}; never 0. */
    long fingerprint(String user, String peer) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        int n = user.length() + 1 + peer.length();
        int words = n / 4 + 1; // the last holds the remaining chars and the length in bytes
        for (int w = 0; w <= words; w++) {
            long m = 0;
            if (w < words) {
                for (int j = 0, i = 4 * w; j < 4 && i < n; j++, i++) {
                    m |= (long) charAt(user, peer, i) << (16 * j);
                }
                if (w == words - 1) {
                    m |= (long) (2 * n) << 56;
                }
                v3 ^= m;
            } else {
                v2 ^= 0xff;
            }
            for (int r = w < words ? 2 : 4; r > 0; r--) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        long h = v0 ^ v1 ^ v2 ^ v3;
        return h == 0 ? 1 : h;
    }

    private static char charAt(String user, String peer, int i) {
        return i < user.length() ? user.charAt(i) : i == user.length() ? 0 : peer.charAt(i - user.length() - 1);
    }
}
