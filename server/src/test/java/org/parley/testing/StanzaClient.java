package org.parley.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;
import org.parley.xml.Element;

/**
 * A hand-driven, logged-in XMPP client whatever carries its stream, so one raw-protocol scenario
 * runs over TCP ({@link RawStreamClient}) and WebSocket ({@link WebSocketClient}) alike.
 */
public interface StanzaClient extends AutoCloseable {

    /** Writes one stanza or nonza as raw XML text. */
    StanzaClient send(String xml) throws IOException;

    /** The next element from the server. */
    Element element();

    /** The first element matching, skipping others; fails if the stream ends first. */
    Element expect(Predicate<Element> wanted, String what);

    /** True when nothing arrives within {@code wait}. */
    boolean quietFor(Duration wait);

    /** The bound full JID. */
    String jid();

    /** Drops the connection without ending the stream, as a network failure would. */
    void drop();

    @Override
    void close();
}
