package org.parley.session;

import java.util.List;

import java.time.Instant;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StreamError;

/**
 * A bound client session as the router sees it, whatever carries it (TCP, WebSocket, BOSH, or a
 * session on another cluster node). All methods are thread-safe.
 */
public interface Session {

    /** The full JID the session is bound to. */
    Jid jid();

    /** Queues a stanza for the client; never blocks. */
    void deliver(Stanza stanza);

    /**
     * Waits, on the calling virtual thread, until the client has read most of what was written to
     * it, or its connection is gone. A feature that sends a burst on its own from storage (offline
     * messages at login) calls it between stanzas, so the burst is paced by the client's reading
     * and never counted as a client too slow to read ({@code c2s.maxPendingOutputBytes}). Returns at
     * once for a session with no connection here (detached, on another node).
     */
    default void awaitRoom() {
    }

    /** Ends the session with a stream error (or cleanly when {@code error} is null). */
    void close(StreamError error);

    /** The last available presence the client broadcast, or null while it is unavailable (RFC 6121 §4). */
    Stanza presence();

    /**
     * Records the client's broadcast presence ({@code null} or type unavailable makes it
     * unavailable) and tells the session listeners when availability changed.
     */
    void updatePresence(Stanza presence);

    default boolean isAvailable() {
        return presence() != null;
    }

    /**
     * Whether the session has stopped taking stanzas: its connection refused one (closed, or past
     * its output bound) and the session ends once its pending work is done. Routing passes it over
     * from then on, so nothing it refused is offered to it again (which looped: refused, rerouted to
     * offline storage, flushed back to it, refused...). It stays available until it ends, so its
     * contacts still hear it leave.
     */
    default boolean isLeaving() {
        return false;
    }

    /** The priority of the current presence (RFC 6121 §4.7.2.3), 0 when unavailable or unset. */
    default int priority() {
        Stanza p = presence();
        if (p == null) {
            return 0;
        }
        String v = p.element().childText("priority", p.element().namespace());
        if (v == null) {
            return 0;
        }
        try {
            return Math.max(-128, Math.min(127, Integer.parseInt(v.trim())));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** False for a session on another cluster node: its per-session state lives there. */
    default boolean isLocal() {
        return true;
    }

    /**
     * True while the session's connection is gone but the session waits to be resumed (see
     * {@link StreamObserver#keepDetached}): it is still bound and takes stanzas, yet no device
     * reads them now, so features that notify an absent user treat it like no session.
     */
    default boolean isDetached() {
        return detachedUntil() != null;
    }

    /**
     * While the session is detached, when its resumption window closes: it ends then at the latest
     * unless resumed, so anything a feature remembers about its waiting stanzas need not outlive
     * that. Null while it is not detached.
     */
    default Instant detachedUntil() {
        return null;
    }

    /** Whether the client connected over an encrypted stream. */
    boolean isSecure();

    /**
     * What the session's node {@linkplain org.parley.route.Directory#share shared} under this
     * name, for a session of a dead cluster node that is ended on a survivor's behalf; null
     * otherwise (a local session keeps its state in {@link #get}).
     */
    /**
     * In what {@link #shared} returns for a session of a dead cluster node: the epoch millis
     * from which stanzas for it may not have reached its client (the node may have died with
     * them on their way), for a feature that can hand them over again.
     */
    String IN_DOUBT_SINCE = "session.inDoubtSince";

    default String shared(String name) {
        return null;
    }

    /**
     * What the session's node appended to its {@linkplain org.parley.route.Directory#log log}, in
     * order of sequence number, for a session another node {@linkplain
     * org.parley.route.Directory#adopt adopted} or a dead node's session ended here; empty otherwise.
     */
    default List<String> sharedLog() {
        return List.of();
    }

    /** Per-feature state, keyed by a feature's own typed key, so the session never names features. */
    <T> T get(SessionKey<T> key);

    <T> void put(SessionKey<T> key, T value);
}
