package org.parley.session;

import java.util.List;
import org.parley.xmpp.Stanza;

/** Observes session life-cycle events; implemented by features that keep per-user state. */
public interface SessionListener {

    /** A resource was bound. */
    default void bound(Session session) {
    }

    /**
     * The session's availability changed. {@code initial} is true for the first available
     * presence of the session (RFC 6121 §4.2), when offline messages and pending subscription
     * requests are due.
     */
    default void availabilityChanged(Session session, boolean available, boolean initial) {
    }

    /**
     * The client sent a new broadcast presence, {@code null} when it became unavailable. Called
     * for every update, also when availability stays the same (capabilities or status may change),
     * after {@link #availabilityChanged}.
     */
    default void presenceChanged(Session session, org.parley.xmpp.Stanza presence) {
    }

    /**
     * The session's connection dropped and the session stays bound, detached, waiting to be
     * resumed ({@link StreamObserver#keepDetached}); {@link Session#isDetached()} is already true.
     * {@code unacknowledged} holds what was written to the lost connection without the client
     * confirming it (as the observer reports it), oldest first: the client may never have seen
     * these, and a feature that tells an absent user about missed messages looks here, since nothing
     * new arrives to trigger it. Runs on the session's mailbox: keep it short. Followed later by
     * {@link #closed} when nobody resumes the session.
     */
    default void detached(Session session, List<Stanza> unacknowledged) {
    }

    /** The session ended (it is no longer routable). */
    default void closed(Session session) {
    }

    /**
     * Sessions that ended together, of one cause: a dead node's, ended by the survivor that cleans
     * up after it. By default {@link #closed} for each, in order; a listener that writes for each
     * session (the logout time) may write them together. A failure for one session does not keep
     * the others from being closed: the first is thrown at the end, the others suppressed in it.
     */
    default void closedAll(List<? extends Session> sessions) {
        RuntimeException failed = null;
        for (Session s : sessions) {
            try {
                closed(s);
            } catch (RuntimeException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * A session of this node is being replaced by a newer one for the same full JID on another
     * cluster node. That node already ran {@link #closed} with what the directory knows of this
     * session (its presence); this is the moment to act on state only this node holds.
     */
    default void replacedElsewhere(Session session) {
    }

    /**
     * Other cluster nodes lost sight of this node's session for a while (a Redis outage on
     * either side, or this node was declared dead while cut off) and see it again. Meanwhile
     * stanzas for it may have been handled as for an absent resource (messages in offline
     * storage) and its contacts may have been told it left: the moment to deliver and announce
     * again. Called on a cluster worker thread for each bound session of this node; never on a
     * single node.
     */
    default void routesRestored(Session session) {
    }

    /**
     * A client resumed here a session of another cluster node that died or stopped
     * ({@link org.parley.route.Directory#adopt}): {@code session} continues it on this node, bound,
     * available with its old presence, and already sent what the client had not acknowledged of
     * what the old node recorded. Its contacts were not told it left. The moment to restore the
     * per-session state the feature {@linkplain org.parley.route.Directory#share shared} (found
     * in {@code from.previous()}), to deliver what waited in storage meanwhile, and to hand over
     * again what may have died with the old node ({@link Adoption#inDoubtSince}), except
     * {@link Adoption#known}. Runs on the session's mailbox, before its client's next input.
     */
    default void adopted(Session session, Adoption from) {
    }
}
