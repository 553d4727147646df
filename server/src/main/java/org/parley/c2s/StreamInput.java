package org.parley.c2s;

import org.parley.xml.Element;
import org.parley.xml.StreamHeader;
import org.parley.xmpp.StreamError;

/**
 * What a transport hands the client session of one {@link Connection}, in the order it happened,
 * from the connection's I/O thread. Each call only queues the work: the session runs it on its own
 * executor, so a transport never waits for routing or a store.
 *
 * <p>A transport that frames the stream otherwise (RFC 7395's {@code <open/>}, XEP-0206's
 * {@code <body/>}) hands over the same items: the opening as a {@link StreamHeader} in
 * {@code jabber:client}, then one {@link Element} per stanza or nonza, then the end.
 */
public interface StreamInput {

    /** The client opened (or, after a restart, reopened) its stream. */
    void header(Connection from, StreamHeader header);

    /** A first-level element of the stream: a stanza, a nonza or a negotiation element. */
    void element(Connection from, Element element);

    /**
     * As {@link #element(Connection, Element)}, with the element's size on the wire, so the input
     * counts it in the server's {@link InboundBudget} until it is processed.
     */
    default void element(Connection from, Element element, int wireBytes) {
        element(from, element);
    }

    /** The client ended its stream ({@code </stream:stream>}, {@code <close/>}). */
    void end(Connection from);

    /** The input broke (bad XML, a limit): the stream ends with this error. */
    void failed(Connection from, StreamError error);

    /** TLS is established on the connection; for the log. */
    void secured(Connection from, String protocol, String cipher);

    /** The client has been silent for the idle period (the transport's clock). */
    void silent(Connection from);

    /** The connection is gone, whatever the reason. */
    void disconnected(Connection from);

    /** How much of the input handed over is not processed yet; the transport pauses reading when it grows. */
    int backlog();

    /** Runs {@code task} once the input handed over so far has been processed. */
    void whenCaughtUp(Runnable task);
}
