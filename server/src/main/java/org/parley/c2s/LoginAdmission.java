package org.parley.c2s;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Logins' turns at the database: at most {@code permits} logins read their credentials at once,
 * up to {@code maxWaiting} more wait for a turn in arrival order, and a login past that is
 * refused at once, for its client to try again ({@code auth.concurrentLogins},
 * {@code auth.maxWaitingLogins}).
 *
 * <p>Why: a burst of logins (a node's clients reconnecting elsewhere after it died, or everyone
 * at once after a restart) used to send every credential read to the connection pool at once.
 * Thousands of virtual threads waited in HikariCP's queue in front of a handful of connections,
 * each failing after {@code database.connectTimeout} (5 s) with {@code temporary-auth-failure}
 * while the database itself was idle; the clients retried, and the failures' own work fed the
 * overload (bench/cluster.md, the scale run). Here a login waits for its turn without a time
 * limit of its own, parked, with its SASL answer delayed — only its connection's
 * {@code c2s.authTimeout} ends the wait — and the pool sees at most {@code permits} logins, so
 * the turn's own wait for a connection is short and its timeout means an outage again. A login
 * whose connection went away while it waited leaves the queue at once (its client gave up: no
 * read is made for it).
 *
 * <p>The waiting threads are the queue: each is a session's virtual thread parked on its ticket,
 * whose session takes no other input meanwhile (the client waits for the SASL answer). Tickets
 * are granted strictly in order, under one lock held only to move a ticket.
 */
public final class LoginAdmission {
    private static final int WAITING = 0;
    private static final int GRANTED = 1;
    private static final int CANCELLED = 2;

    private final int permits;
    private final int maxWaiting;
    private final ReentrantLock lock = new ReentrantLock();
    /** Tickets waiting, oldest first; never more than {@code maxWaiting}. Under {@link #lock}. */
    private final ArrayDeque<Ticket> queue = new ArrayDeque<>();
    /** Granted tickets not yet released. Under {@link #lock}. */
    private int inUse;
    /** Refuses every new ticket and cancels the waiting ones (the server is stopping). Under {@link #lock}. */
    private boolean closed;
    private final AtomicLong refused = new AtomicLong();
    private volatile int mostWaiting;

    /** One login's place: waiting, then holding a turn until {@link #release}d. */
    public final class Ticket {
        private final Thread thread = Thread.currentThread();
        private volatile int state = WAITING;

        boolean granted() {
            return state == GRANTED;
        }
    }

    /**
     * @param permits    logins reading credentials at once
     * @param maxWaiting logins that may wait for a turn; past it {@link #enter} refuses
     */
    public LoginAdmission(int permits, int maxWaiting) {
        if (permits < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("permits " + permits + ", maxWaiting " + maxWaiting);
        }
        this.permits = permits;
        this.maxWaiting = maxWaiting;
    }

    /**
     * Takes a place for the calling thread: granted at once when a turn is free and nobody waits,
     * else queued. Null when the queue is full (or the server stops): the login is refused.
     */
    Ticket enter() {
        Ticket t = new Ticket();
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            if (inUse < permits && queue.isEmpty()) {
                inUse++;
                t.state = GRANTED;
                return t;
            }
            if (queue.size() >= maxWaiting) {
                refused.incrementAndGet();
                return null;
            }
            queue.addLast(t);
            if (queue.size() > mostWaiting) {
                mostWaiting = queue.size();
            }
            return t;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits, parked, until the ticket's turn comes (true), or it is cancelled or {@code deadline}
     * (nanoTime) passes (false; it has left the queue). Called by the ticket's own thread.
     */
    boolean await(Ticket t, long deadline) {
        while (t.state == WAITING) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                cancel(t);
                break;
            }
            LockSupport.parkNanos(this, left);
        }
        return t.state == GRANTED;
    }

    /** The ticket's login no longer waits (its connection went away); from any thread. A turn held is kept. */
    void cancel(Ticket t) {
        lock.lock();
        try {
            if (t.state != WAITING) {
                return;
            }
            t.state = CANCELLED;
            queue.remove(t); // at most maxWaiting to look through, and only for a login that gave up
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(t.thread);
    }

    /** Ends a granted ticket's turn: the next waiting ticket gets it. */
    void release(Ticket t) {
        Ticket next;
        lock.lock();
        try {
            if (t.state != GRANTED) {
                return;
            }
            t.state = CANCELLED; // released once
            next = queue.pollFirst();
            if (next == null) {
                inUse--;
                return;
            }
            next.state = GRANTED; // the turn passes on: inUse unchanged
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(next.thread);
    }

    /** The server stops: logins waiting give up (their streams end with the others), new ones are refused. */
    public void close() {
        Ticket[] waiting;
        lock.lock();
        try {
            closed = true;
            waiting = queue.toArray(Ticket[]::new);
            queue.clear();
            for (Ticket t : waiting) {
                t.state = CANCELLED;
            }
        } finally {
            lock.unlock();
        }
        for (Ticket t : waiting) {
            LockSupport.unpark(t.thread);
        }
    }

    /** Logins waiting for a turn now. */
    public int waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** The most logins that waited at once since the start. */
    public int mostWaiting() {
        return mostWaiting;
    }

    /** Logins refused because the queue was full, since the start. */
    public long refused() {
        return refused.get();
    }
}
