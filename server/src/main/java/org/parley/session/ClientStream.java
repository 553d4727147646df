package org.parley.session;

import org.parley.xml.Element;
import org.parley.xmpp.StreamError;

/**
 * The stream-level side of one client connection, for features that own nonzas (top-level
 * elements that are not stanzas: acknowledgements, client state, resumption). It never names a
 * feature; a feature attaches what it needs through {@link #observe}.
 */
public interface ClientStream {

    /** The authenticated user (local part), or null before authentication. */
    String username();

    /** The bound session, or null before resource binding. */
    Session session();

    /**
     * The client's address as per-address limits judge it: the IP address, an IPv6 one cut to its
     * /64 (one host usually has the whole /64).
     */
    String address();

    /** Per-stream state of a feature (before binding too), under the feature's own typed key. */
    <T> T get(SessionKey<T> key);

    <T> void put(SessionKey<T> key, T value);

    /**
     * Writes a nonza (or a stanza the observer already saw, e.g. a retransmission) to the client,
     * after everything written before it. The observer does not see it.
     */
    void send(Element element);

    /**
     * Writes stanzas the observer already saw again (a retransmission), after everything written
     * before them, paced by the client's reading: the burst is not counted against the bound on
     * pending output, and what is written after it waits behind it. The observer does not see them.
     */
    default void sendAgain(java.util.List<Element> stanzas) {
        stanzas.forEach(this::send);
    }

    /** Ends the stream, with a stream error or cleanly when {@code error} is null. */
    void close(StreamError error);

    /**
     * Drops the connection without ending the stream, as a network failure would: for a
     * connection found dead, so that an observer that keeps sessions detached
     * ({@link StreamObserver#keepDetached}) keeps this one for the client to resume.
     */
    void abort();

    /**
     * Attaches the observer of this stream's session, replacing any previous one, and writes
     * {@code announce} (may be null) first: no stanza the observer sees reaches the client before it.
     */
    void observe(StreamObserver observer, Element announce);

    /** The attached observer, or null. */
    StreamObserver observer();

    /**
     * Moves this authenticated, not yet bound connection under {@code target}, a session of the same
     * user on this node that lost (or is about to lose) its own connection. The target continues on
     * this connection: its old one, if still open, ends with {@code conflict}, and {@code first} runs
     * before any later stanza to the target is written, so what it {@link #send sends} on the target
     * comes first. Returns false, changing nothing, when the target is not a live local session.
     */
    boolean moveTo(ClientStream target, Runnable first);

    /**
     * Continues here {@code from.previous()}, a session of another cluster node that the directory
     * handed over ({@link org.parley.route.Directory#adopt}): binds this authenticated, not yet
     * bound stream to its full JID with its presence, attaches {@code observer} writing
     * {@code announce} and then {@code first} before any stanza routed to the session, runs
     * {@code whenBound} once the session is routable, then tells the session listeners
     * ({@link SessionListener#adopted}). Nothing reaches the client before the session is bound
     * and {@code whenBound} ran: a client that reads {@code announce} is routable here. Returns
     * the bound session.
     */
    Session adopt(Adoption from, StreamObserver observer, Element announce, java.util.List<Element> first,
                  Runnable whenBound);
}
