package org.parley.store.sql;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Turns at the connection pool, one per pooled connection, given in arrival order: a store call
 * takes one before it asks the pool for a connection and gives it back after. A caller waits for
 * its turn as long as the database keeps serving the others (a call completes within every
 * {@code patience}); it gives up only after a whole {@code patience} in which none did: the
 * database unreachable or stuck.
 *
 * <p>Why not the pool's own wait: HikariCP fails a caller after {@code connectionTimeout} whether
 * the database is down or merely busy, and a caller that asks again joins the back of its queue.
 * Offered more calls than the pool serves in that time (the scale run's 2,000 msgs/s step on a
 * saturated box, 19,000 sessions ending at a node's stop), every wait longer than that failed,
 * PostgreSQL idle: the messages whose block-list or roster read waited were bounced with
 * {@code internal-server-error}, the leaving users whose roster read waited were never seen
 * leaving (bench/cluster.md). A wait that kept its place and failed only once nothing moved is the
 * backpressure a session's virtual thread is made for (parked, its input unread past
 * {@code c2s.maxQueuedStanzas}), as {@link StoreThreads} gives SQLite's callers.
 *
 * <p>A turn freed goes straight to the first waiter (no barging), woken alone.
 */
final class Turns {
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private final long patienceNanos;
    /** Turns nobody holds. Under {@link #lock}. */
    private int free;
    /** Turns given back after a call that completed. Under {@link #lock}. */
    private long served;
    /** Waits that went past a patience while calls completed, and went on. Under {@link #lock}. */
    private long longWaits;

    private static final class Waiter {
        final Condition turn;
        boolean granted;

        Waiter(Condition turn) {
            this.turn = turn;
        }
    }

    Turns(int turns, long patience, TimeUnit unit) {
        this.free = turns;
        this.patienceNanos = unit.toNanos(patience);
    }

    /**
     * Waits for a turn, in arrival order.
     *
     * @return false when no call completed during a whole patience of this wait (no turn taken)
     */
    boolean take() {
        lock.lock();
        try {
            if (free > 0 && queue.isEmpty()) {
                free--;
                return true;
            }
            Waiter me = new Waiter(lock.newCondition());
            queue.addLast(me);
            long seen = served;
            long deadline = System.nanoTime() + patienceNanos;
            boolean interrupted = false;
            try {
                while (!me.granted) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        if (served == seen) {
                            queue.remove(me);
                            return false;
                        }
                        longWaits++;
                        seen = served;
                        deadline = System.nanoTime() + patienceNanos;
                        continue;
                    }
                    try {
                        me.turn.awaitNanos(left);
                    } catch (InterruptedException e) {
                        interrupted = true; // the turn is taken all the same: the caller's call is on its way
                    }
                }
                return true;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Gives a turn back, to the first waiter if any; {@code completed}: the call it was for went through. */
    void give(boolean completed) {
        lock.lock();
        try {
            if (completed) {
                served++;
            }
            Waiter next = queue.pollFirst();
            if (next == null) {
                free++;
            } else {
                next.granted = true;
                next.turn.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits that went on past a patience because the database kept serving others. */
    long longWaits() {
        lock.lock();
        try {
            return longWaits;
        } finally {
            lock.unlock();
        }
    }

    /** Callers waiting for a turn. */
    int waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }
}
