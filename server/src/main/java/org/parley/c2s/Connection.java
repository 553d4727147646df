package org.parley.c2s;

import java.net.SocketAddress;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StreamError;

/**
 * One client connection as a {@link C2sSession} sees it, whatever carries it: the session's only
 * way out. The transport renders the stream's framing — over TCP a {@code <stream:stream>} header
 * and {@code </stream:stream>} (RFC 6120 §4), over WebSocket {@code <open/>} and {@code <close/>}
 * (RFC 7395 §3.3) — and knows no feature.
 *
 * <p>Every method may be called from any thread and never blocks. Writes reach the client in the
 * order they were called, whichever method made them.
 */
public interface Connection {

    /** A short id for this connection's log lines (the {@code sid} MDC key); unique enough to grep. */
    String id();

    /** The transport's name for log lines: {@code tcp}, {@code tcp+directtls}, {@code websocket}, {@code bosh}. */
    String transport();

    SocketAddress remoteAddress();

    /** Whether the connection is encrypted (direct TLS, or STARTTLS once its handshake completed). */
    boolean isSecure();

    /** Whether the connection is still up: writes to a closed one are dropped. */
    boolean isOpen();

    /** Opens the server's side of the stream with this id, in answer to the client's (RFC 6120 §4.7). */
    void open(String streamId, Jid from);

    /**
     * Writes a stanza. Stanzas are batched: one flush (one system call) per burst of writes, not one
     * per stanza. This is the chat hot path: no allocation beyond the one queued task.
     *
     * @return false when the stanza was not taken: the connection is closed, or more than
     *         {@code c2s.maxPendingOutputBytes} wait for the client, which is then dropped as a
     *         network failure would drop it. The caller decides what becomes of the stanza.
     */
    boolean write(Element stanza);

    /**
     * Writes a stanza and right behind it {@code then} (an acknowledgement request, say; may be
     * null), batched as {@link #write(Element)}. TCP queues both as one task: a stream observer's
     * stanzas cost no more than others.
     *
     * @return false when neither was taken, as {@link #write(Element)}
     */
    default boolean write(Element stanza, Element then) {
        if (!write(stanza)) {
            return false;
        }
        if (then != null) {
            write(then);
        }
        return true;
    }

    /** Writes a negotiation element or nonza and flushes at once. */
    void send(Element element);

    /**
     * Ends the stream and then the connection: the server's stream is opened first when it is not
     * (RFC 6120 §4.9.1.1), then the error, if any, then the stream's end. Later writes are dropped.
     */
    void close(StreamError error);

    /** Drops the connection without ending the stream, as a network failure would. */
    void abort();

    /** Whether STARTTLS (RFC 6120 §5) can be offered: only an unencrypted TCP connection can. */
    boolean canStartTls();

    /**
     * Starts TLS: {@code proceed} is the last thing written in the clear, and the stream restarts
     * (RFC 6120 §5.4.3.3). Once the handshake is done the connection {@link #isSecure is secure} and
     * the session hears of it through {@link StreamInput#secured}; a failed handshake closes it.
     */
    void startTls(Element proceed);

    /**
     * Restarts the stream (RFC 6120 §6.4.6, after SASL success): the input expects a new stream
     * header, and {@code last} is written and flushed after the input was reset, so nothing the
     * client sends in reply can reach the old stream's parser.
     */
    void restartStream(Element last);
}
