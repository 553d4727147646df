package org.parley.c2s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.parley.session.SessionListener;
import org.parley.session.StreamObserver;
import org.parley.xml.Element;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StreamError;
import org.parley.xmpp.StreamError.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which connection a client session is attached to, and every change of it: the session's one
 * output path, its detaching when the connection drops and a feature wants it kept, and its
 * resumption on a new connection. The mechanism is here; when to keep a session and whom to let
 * resume it is the policy of the feature that attaches the {@link StreamObserver} (XEP-0198).
 *
 * <p>Ordering, the reason these live together: writes and the switch to a new connection take one
 * lock, so nothing written after the switch can overtake what the switch sends first (the resumed
 * acknowledgement and the stanzas sent again); and the observer sees each stanza under the same
 * lock, in wire order, also while detached. A session is marked detached before the observer is
 * asked what the lost connection may have swallowed, so a stanza delivered meanwhile is either in
 * that list or seen by the router as going to a detached session, never neither.
 */
final class Attachment {
    private static final Logger log = LoggerFactory.getLogger(Attachment.class);
    private static final long MOVE_TIMEOUT_SECONDS = 5;

    private final C2sSession session;
    private final Object lock = new Object();
    private volatile Connection connection;
    private volatile StreamObserver observer;
    private volatile boolean detached;
    /** When the observer will end the session if nobody resumes it; meaningful while detached. */
    private volatile Instant detachedUntil;
    private long detachedAt;
    /** Writes waiting for the observer's record of a stanza (see {@link StreamObserver#recorded}), and the last. */
    private int held;
    private CompletionStage<?> heldTail;

    Attachment(C2sSession session, Connection connection) {
        this.session = session;
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    StreamObserver observer() {
        return observer;
    }

    boolean isDetached() {
        return detached;
    }

    Instant detachedUntil() {
        return detached ? detachedUntil : null;
    }

    /**
     * A stanza for the client: batched, and seen by the observer first. One the connection does not
     * take (closed, or its client too far behind) is the observer's to keep when there is one (it
     * counted it as unacknowledged), else it goes back to the router once the session is over.
     */
    void deliver(Element stanza) {
        StreamObserver o = observer;
        if (o == null) {
            if (!connection.write(stanza)) { // the common path: no lock
                session.refused(stanza);
            }
            return;
        }
        synchronized (lock) {
            Element after = o.sent(stanza); // first: an answer from the client must find it counted
            if (!detached) {
                CompletionStage<?> record = o.recorded();
                if (record == null && held == 0) {
                    connection.write(stanza, after);
                } else {
                    Connection c = connection;
                    hold(record, () -> c.write(stanza, after));
                }
            }
        }
    }

    /** A nonza, a negotiation element, or a stanza the observer already saw; flushed at once. */
    void send(Element element) {
        synchronized (lock) {
            if (!detached) {
                if (held == 0) {
                    connection.send(element);
                } else {
                    Connection c = connection;
                    hold(null, () -> c.send(element));
                }
            }
        }
    }

    /** Stanzas the observer saw, written again (a retransmission); paced by the client's reading. */
    void sendAgain(List<Element> stanzas) {
        synchronized (lock) {
            if (!detached) {
                if (held == 0) {
                    connection.writeAgain(stanzas);
                } else {
                    Connection c = connection;
                    hold(null, () -> c.writeAgain(stanzas));
                }
            }
        }
    }

    /** Waits until the client has read most of what was written to it; at once while detached. */
    void awaitRoom() {
        if (!detached) {
            connection.awaitRoom();
        }
    }

    /**
     * Runs {@code write} once {@code record} (may be null) and every write held before it are
     * done, in order; dropped when the session detached or moved to another connection meanwhile
     * (the observer has the stanza: the client gets it on resumption). Under {@link #lock}.
     */
    private void hold(CompletionStage<?> record, Runnable write) {
        Connection c = connection;
        CompletionStage<?> before = heldTail == null ? CompletableFuture.completedFuture(null) : heldTail;
        CompletionStage<?> mine = record == null ? before
                : before.thenCombine(record.handle((v, e) -> null), (a, b) -> null);
        held++;
        heldTail = mine.handle((v, e) -> {
            synchronized (lock) {
                try {
                    if (!detached && connection == c) {
                        write.run();
                    }
                } finally {
                    if (--held == 0) {
                        heldTail = null;
                    }
                }
            }
            return null;
        });
    }

    /** Holds every later write, in order, until {@code open} completes (or fails). */
    void holdUntil(CompletionStage<?> open) {
        synchronized (lock) {
            hold(open, () -> { });
        }
    }

    void observe(StreamObserver o, Element announce) {
        synchronized (lock) {
            if (announce != null) {
                send(announce);
            }
            observer = o;
        }
    }

    /**
     * The bound session's connection dropped while its stream was open: stays attached to nothing
     * when the observer keeps it, telling the listeners what the connection may have swallowed.
     * Runs on the session's mailbox; false when the session is to end.
     */
    boolean detach() {
        StreamObserver o = observer;
        Instant until = o == null ? null : o.keepDetached();
        if (until == null) {
            return false;
        }
        detachedUntil = until;
        detached = true; // before asking for the unacknowledged: see the class comment
        detachedAt = System.nanoTime();
        List<Stanza> held = unacknowledged(o);
        ConnectionLog.detached(held.size());
        for (SessionListener l : session.services.handlers().listeners()) {
            try {
                l.detached(session, held);
            } catch (RuntimeException e) {
                log.error("session listener failed", e);
            }
        }
        return true;
    }

    private List<Stanza> unacknowledged(StreamObserver o) {
        List<Stanza> unacknowledged = new ArrayList<>();
        for (Element e : o.unacknowledged()) {
            try {
                unacknowledged.add(Stanza.of(e));
            } catch (RuntimeException ex) {
                log.debug("an unacknowledged element is no stanza: {}", ex.getMessage());
            }
        }
        return Collections.unmodifiableList(unacknowledged);
    }

    /**
     * Ends a detached session, as its connection loss would have (there is no stream to close); on
     * the mailbox, unless a resumption attached it meanwhile.
     */
    void endDetached(String reason) {
        session.mailbox().execute(() -> {
            if (detached) {
                detached = false;
                session.end(reason + " while detached");
            }
        });
    }

    /**
     * Moves {@code fresh}, a connection authenticated as the same user and not bound, under
     * {@code target}, a bound session that lost (or is about to lose) its connection: the target
     * continues on the fresh connection, {@code first} runs before any later write to it, and the
     * fresh session passes its input on to the target from then on. Runs on the fresh session's
     * mailbox; the switch itself runs on the target's, ordered with its pending work (such as the
     * loss of its old connection), while the fresh input waits.
     */
    static boolean move(C2sSession fresh, C2sSession target, Runnable first) {
        String user = fresh.username();
        if (fresh == target || fresh.jid() != null || user == null || !user.equals(target.username())) {
            return false;
        }
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        target.mailbox().execute(() -> done.complete(!done.isDone() && target.attachment().adopt(fresh, first)));
        boolean moved;
        try {
            moved = done.get(MOVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            moved = !done.complete(false) && done.join(); // it may have completed just now
        } catch (Exception e) {
            moved = false;
        }
        if (moved) {
            fresh.movedUnder(target);
        }
        return moved;
    }

    /** Continues this session on {@code fresh}'s connection; runs on this session's mailbox. */
    private boolean adopt(C2sSession fresh, Runnable first) {
        if (!session.resumable(detached)) {
            return false;
        }
        session.resumed();
        Connection next = fresh.attachment().connection();
        Connection old;
        boolean wasDetached;
        synchronized (lock) {
            old = connection;
            wasDetached = detached;
            connection = next;
            detached = false;
            first.run();
        }
        boolean conflict = old != next && old.isOpen();
        if (conflict) {
            // The connection this session left ends with conflict: only one carries it.
            old.close(StreamError.of(Condition.CONFLICT, "resumed on another connection"));
        }
        ConnectionLog.resumed(next, wasDetached ? System.nanoTime() - detachedAt : -1, conflict);
        return true;
    }
}
