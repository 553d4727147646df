package org.parley.route;

import java.util.List;
import java.util.function.Predicate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.parley.session.Session;
import org.parley.xmpp.Jid;

/**
 * Where the bound sessions are. The single-node implementation is {@link LocalDirectory}; the
 * cluster puts sessions of other nodes behind the same interface, so the router never knows
 * which node a session lives on.
 */
public interface Directory {

    /** The session bound to this full JID, or null. */
    Session session(Jid full);

    /** A snapshot of the sessions of this bare JID (possibly empty). */
    List<Session> sessions(Jid bare);

    /**
     * Binds a session under its full JID. Returns the session it replaced (same full JID),
     * which the caller ends with a {@code conflict} stream error, or null.
     */
    Session bind(Session session);

    /** Removes the session if (and only if) it is still the one bound under its JID. */
    boolean unbind(Session session);

    /** A bound session's presence changed (a cluster directory publishes it to other nodes). */
    default void presenceChanged(Session session) {
    }

    /**
     * Completes once every stanza this node has so far handed to sessions on other nodes has
     * reached that node, or, where it could not, has been handled here as undeliverable (offline
     * storage). An acknowledgement to a client waits for this; on one node it is complete at once.
     */
    default CompletionStage<Void> handedOver() {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Keeps a small piece of a local session's state where the other cluster nodes find it if
     * this node dies ({@link Session#shared}): e.g. whom the session sent directed presence, who
     * must hear that it left. {@code null} removes it. A single node keeps nothing: when it dies,
     * everyone's sessions die with it.
     */
    default void share(Session session, String name, String value) {
    }

    /**
     * A local session's delivery cursor changed: {@code oldest} is when the oldest stanza its
     * client has not confirmed receiving (XEP-0198) was queued, null when it confirmed everything.
     * Cheap enough to call per stanza: a cluster keeps it in memory and writes what changed before
     * each liveness renewal, so that if this node dies, the node ending the session hands over
     * again whatever the archive holds for it since then (see docs/cluster.md). A single node
     * keeps nothing.
     */
    default void deliveryCursor(Session session, java.time.Instant oldest) {
    }

    /**
     * Appends an entry with sequence number {@code seq} to a local session's log, kept beside what
     * it {@link #share shared} for another node to {@link #adopt} it: without waiting, in call
     * order; returns its completion (null when nothing is kept). A single node keeps nothing.
     */
    default CompletionStage<?> log(Session session, long seq, String entry) {
        return null;
    }

    /** Drops the entries of a local session's log up to sequence number {@code seq}. */
    default void unlog(Session session, long seq) {
    }

    /**
     * For a client resuming here a session of another cluster node that can no longer hold it (the
     * node died, is cut off from the cluster, or stopped and released it): when the directory still
     * has that session under {@code full} and {@code mine} accepts it (by what it shared), removes
     * it, with what it shared and logged, and returns it ({@link Session#shared},
     * {@link Session#sharedLog}, and {@link Session#IN_DOUBT_SINCE} unless it was released), so
     * that exactly one node ever continues it (the clean-up after a dead node does not end it
     * then). Null otherwise: not there, on this node, held by a node that is up, or taken first.
     */
    default Session adopt(Jid full, Predicate<Session> mine) {
        return null;
    }

    /**
     * Looks {@code bare} up afresh at the next {@link #sessions} (a cluster node drops what it
     * cached of other nodes' sessions): for a decision that must not rest on a view older than
     * something just written, such as a message just stored offline for a user who may have come
     * online meanwhile.
     */
    default void refresh(Jid bare) {
    }

    /**
     * Whether {@code bare} may have a session this node cannot see now: a cluster node that cannot
     * reach Redis, or that counts the node of one of the user's entries absent. Never on a single
     * node.
     */
    default boolean mayBeUnseen(Jid bare) {
        return false;
    }

    /** How many sessions are bound. */
    int size();

    /** All bound sessions, e.g. to end them at shutdown. */
    List<Session> all();
}
