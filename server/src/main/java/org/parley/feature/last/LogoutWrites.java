package org.parley.feature.last;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logouts to record, many to a transaction: a group commit without a thread of its own. A caller
 * that finds no write under way becomes the writer and writes what is pending, again until
 * nothing is; callers meanwhile add theirs (the newest per user) and return at once. At most
 * {@code maxPending} wait beside the write under way; past that a caller waits for it, so a burst
 * of logouts holds a bounded map and the callers are slowed to the database's pace.
 *
 * <p>Why: every ending session wrote its row in a transaction of its own. When thousands end at
 * once, each on its own thread (a node stopping, a network cut dropping a node's clients), that
 * was thousands of commits one after another (SQLite's single writer, a fsync each) or thousands
 * of waits for the pool (PostgreSQL). Now they are a few transactions of up to
 * {@code maxPending} rows. Calls made one after another by one caller, as a survivor's reaper
 * ends a dead node's sessions, come together through {@link #recordAll}: before, they were a
 * transaction each, since nothing waited to share one. A writer's own session ends only once what it took is written, so a
 * stop, which waits for every session's end before it closes the stores, loses none.
 */
final class LogoutWrites {
    private static final Logger log = LoggerFactory.getLogger(LogoutWrites.class);

    private final LastActivityStore store;
    private final int maxPending;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    /** Waiting for the next write, newest per user, sorted (the order rows are locked in). Under {@link #lock}. */
    private TreeMap<String, LastActivity> pending = new TreeMap<>();
    /** Whether a caller is writing. Under {@link #lock}. */
    private boolean writing;

    LogoutWrites(LastActivityStore store, int maxPending) {
        this.store = store;
        this.maxPending = maxPending;
    }

    /** Records {@code owner}'s logout: written by this call, or by the write under way's next round. */
    void record(String owner, LastActivity activity) {
        lock.lock();
        try {
            while (writing && pending.size() >= maxPending && !pending.containsKey(owner)) {
                room.awaitUninterruptibly();
            }
            pending.put(owner, activity);
            if (writing) {
                return;
            }
            writing = true;
        } finally {
            lock.unlock();
        }
        writeAll();
    }

    /**
     * Records many logouts made one after another by one caller (a survivor ending a dead node's
     * sessions): added like {@link #record}'s, but this caller writes only once it has added
     * them all, or a batch's worth, so they share transactions instead of one each.
     */
    void recordAll(Map<String, LastActivity> logouts) {
        for (Map.Entry<String, LastActivity> e : logouts.entrySet()) {
            boolean write = false;
            lock.lock();
            try {
                while (writing && pending.size() >= maxPending && !pending.containsKey(e.getKey())) {
                    room.awaitUninterruptibly();
                }
                pending.put(e.getKey(), e.getValue());
                if (!writing && pending.size() >= maxPending) {
                    writing = write = true;
                }
            } finally {
                lock.unlock();
            }
            if (write) {
                writeAll();
            }
        }
        boolean write = false;
        lock.lock();
        try {
            if (!writing && !pending.isEmpty()) {
                writing = write = true;
            }
        } finally {
            lock.unlock();
        }
        if (write) {
            writeAll();
        }
    }

    /** The writer's rounds: everything pending, until nothing is. */
    private void writeAll() {
        while (true) {
            Map<String, LastActivity> batch;
            lock.lock();
            try {
                if (pending.isEmpty()) {
                    writing = false;
                    return;
                }
                batch = pending;
                pending = new TreeMap<>();
                room.signalAll();
            } finally {
                lock.unlock();
            }
            try {
                store.putAll(batch);
            } catch (RuntimeException e) {
                // Best effort, as before: a database outage must not hold up logouts or the stop.
                log.warn("last activity of {} users not recorded: {}", batch.size(), e.getMessage());
            }
        }
    }
}
