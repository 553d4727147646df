package org.parley.feature.mam;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongPredicate;

/**
 * Archive rows another cluster node is still holding in its group-commit writer. The node that
 * routes a message archives it, and may commit it up to archive.writeDelay later; this node
 * flushes only its own writer before a query. So that a client that saw a message live here (or
 * names its id) never pages past it, this node remembers the newest id of another node it
 * delivered to each user, and a query first waits, briefly, until the store shows it.
 */
final class RemoteRows {
    private static final long POLL_MILLIS = 10;

    private final int node;
    private final Clock clock;
    private final Duration patience;
    private final Cache<String, Long> newest;

    /** @param patience how long a row of another node may take to appear: its write delay and then some */
    RemoteRows(int node, Clock clock, Duration patience) {
        this.node = node;
        this.clock = clock;
        this.patience = patience;
        this.newest = Caffeine.newBuilder().expireAfterWrite(patience).maximumSize(100_000).build();
    }

    /** This node delivered message {@code id} to {@code owner}. */
    void delivered(String owner, long id) {
        if (ArchiveIds.node(id) != node) {
            newest.asMap().merge(owner, id, Math::max);
        }
    }

    /** Waits until the newest row of another node delivered here to {@code owner} is visible. */
    void awaitDelivered(String owner, LongPredicate visible) {
        Long id = newest.getIfPresent(owner);
        if (id != null && await(id, visible)) {
            newest.asMap().remove(owner, id);
        }
    }

    /**
     * Whether {@code id} is visible, waiting for it when it may still be in another node's writer
     * (taken by another node within the patience period).
     */
    boolean visible(long id, LongPredicate visible) {
        if (visible.test(id)) {
            return true;
        }
        Instant taken = ArchiveIds.time(id);
        return ArchiveIds.node(id) != node && taken.isAfter(clock.instant().minus(patience)) && await(id, visible);
    }

    private boolean await(long id, LongPredicate visible) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!visible.test(id)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
