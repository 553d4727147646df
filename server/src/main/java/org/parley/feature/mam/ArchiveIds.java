package org.parley.feature.mam;

import java.time.Clock;
import java.time.Instant;

/**
 * Time-ordered 64-bit archive ids, also the XEP-0359 stanza-ids: 41 bits of milliseconds since
 * 2020-01-01 (good until 2089), 10 bits of node number, 12 bits of sequence within the
 * millisecond. Unique across nodes with distinct node numbers; increasing on one node even when
 * the clock steps back (the last time is reused, and borrowed forward when 4,096 ids in one
 * millisecond are taken). Not thread-safe: the {@link ArchiveWriter} calls it under its lock.
 */
final class ArchiveIds {
    static final long EPOCH_MILLIS = 1_577_836_800_000L;
    private static final int NODE_BITS = 10;
    private static final int SEQUENCE_BITS = 12;
    private static final int TIME_SHIFT = NODE_BITS + SEQUENCE_BITS;
    private static final long MAX_SEQUENCE = (1L << SEQUENCE_BITS) - 1;
    static final int MAX_NODE = (1 << NODE_BITS) - 1;

    private final Clock clock;
    private final long node;
    private long lastMillis = -1;
    private long sequence;

    ArchiveIds(Clock clock, int node) {
        if (node < 0 || node > MAX_NODE) {
            throw new IllegalArgumentException("node number must be 0-" + MAX_NODE + ": " + node);
        }
        this.clock = clock;
        this.node = node;
    }

    /**
     * The node number: the configured one, else 0 for a single server, else derived from the
     * cluster node id (operators with many nodes should set {@code archive.nodeNumber} per node,
     * as two ids hashing alike would share a number).
     */
    static int nodeNumber(int configured, String clusterNodeId) {
        if (configured >= 0) {
            return configured;
        }
        return clusterNodeId == null ? 0 : Math.floorMod(clusterNodeId.hashCode() * 0x9E3779B1, MAX_NODE + 1);
    }

    long next() {
        long now = Math.max(clock.millis() - EPOCH_MILLIS, 0);
        if (now > lastMillis) {
            lastMillis = now;
            sequence = 0;
        } else if (++sequence > MAX_SEQUENCE) {
            lastMillis++;
            sequence = 0;
        }
        return lastMillis << TIME_SHIFT | node << SEQUENCE_BITS | sequence;
    }

    /** The number of the node that took the id. */
    static int node(long id) {
        return (int) (id >>> SEQUENCE_BITS) & MAX_NODE;
    }

    /** The time an id was taken, to the millisecond. */
    static Instant time(long id) {
        return Instant.ofEpochMilli((id >>> TIME_SHIFT) + EPOCH_MILLIS);
    }

    /** The smallest id that could be taken at this instant or later. */
    static long firstAt(Instant t) {
        return Math.max(t.toEpochMilli() - EPOCH_MILLIS, 0) << TIME_SHIFT;
    }

    static String format(long id) {
        return Long.toString(id);
    }

    /** The id of a string a client sent back, or -1 when it cannot be one of ours. */
    static long parse(String s) {
        if (s == null || s.isEmpty() || s.length() > 19) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
