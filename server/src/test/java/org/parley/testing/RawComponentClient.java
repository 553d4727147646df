package org.parley.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Predicate;
import org.parley.xml.Element;
import org.parley.xml.StreamEnd;
import org.parley.xml.StreamHeader;
import org.parley.xmpp.Namespaces;

/**
 * A minimal external component (XEP-0114) over a raw socket, since Smack has no component
 * client: it opens a jabber:component:accept stream, does the SHA-1 handshake, and then reads
 * and writes stanzas as XML text. Stands in for a push app server or a gateway in tests.
 */
public final class RawComponentClient implements AutoCloseable {
    public static final String ACCEPT = "jabber:component:accept";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Socket socket;
    private final OutputStream out;
    private final RawStreamReader reader = new RawStreamReader();
    private final String domain;
    /** What the tests read: the reader's items, less the disco#info queries answered in the background. */
    private final java.util.concurrent.BlockingQueue<Object> items = new java.util.concurrent.LinkedBlockingQueue<>();
    private volatile boolean stopping;
    private boolean closed;

    private RawComponentClient(int port, String domain) throws IOException {
        this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
        this.out = socket.getOutputStream();
        this.domain = domain;
        reader.start(socket.getInputStream());
        Thread.ofVirtual().name("raw-component-pump").start(this::pump);
    }

    /**
     * Answers disco#info queries at once, as any real component does: Smack asks every item of
     * the server at login (upload service discovery) and would wait out its reply timeout.
     */
    private void pump() {
        while (!stopping) {
            Object item = reader.poll(Duration.ofMillis(100));
            if (item == null) {
                continue;
            }
            if (item instanceof Element e && e.is("iq", ACCEPT) && "get".equals(e.attr("type"))
                    && e.element("query", "http://jabber.org/protocol/disco#info") != null) {
                try {
                    send("<iq type='result' id='" + e.attr("id") + "' from='" + e.attr("to") + "' to='"
                            + e.attr("from") + "'><query xmlns='http://jabber.org/protocol/disco#info'>"
                            + "<identity category='component' type='generic'/><feature var='jabber:iq:version'/></query></iq>");
                } catch (IOException ignored) {
                    // the connection is going; the test sees it close
                }
                continue;
            }
            items.add(item);
            if (item == RawStreamReader.CLOSED) {
                return;
            }
        }
    }

    /**
     * Connects, handshakes with {@code secret} and fails unless the server accepts it. A
     * {@code conflict} is retried for a while: the previous test's connection of the same domain
     * may not have been noticed as closed yet.
     */
    public static RawComponentClient connect(int port, String domain, String secret) throws IOException {
        long until = System.currentTimeMillis() + 3000;
        while (true) {
            RawComponentClient c = new RawComponentClient(port, domain);
            StreamHeader header = c.open();
            c.handshake(header.id(), secret);
            Element answer = c.element();
            if (answer.is("handshake", ACCEPT)) {
                return c;
            }
            c.close();
            Element condition = answer.elementIn(Namespaces.STREAM_ERRORS);
            if (condition == null || !condition.name().equals("conflict") || System.currentTimeMillis() > until) {
                throw new AssertionError("handshake refused: " + answer.toXml());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    /** Connects and opens the stream only, for tests of the handshake itself. */
    public static RawComponentClient unauthenticated(int port, String domain) throws IOException {
        return new RawComponentClient(port, domain);
    }

    public String domain() {
        return domain;
    }

    /** Sends the component stream header for this client's domain and reads the server's. */
    public StreamHeader open() throws IOException {
        send("<?xml version='1.0'?><stream:stream xmlns='" + ACCEPT + "' xmlns:stream='" + Namespaces.STREAMS
                + "' to='" + domain + "'>");
        return expect(StreamHeader.class);
    }

    /** Sends {@code <handshake/>} with the XEP-0114 digest of the stream id and the secret. */
    public void handshake(String streamId, String secret) throws IOException {
        send("<handshake>" + digest(streamId, secret) + "</handshake>");
    }

    public static String digest(String streamId, String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest((streamId + secret).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized RawComponentClient send(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    /** The next item from the server, or null once it closed the connection. */
    public Object next() {
        return next(WAIT);
    }

    private Object next(Duration wait) {
        if (closed) {
            return null;
        }
        Object item = poll(wait);
        if (item == null) {
            throw new AssertionError("nothing from the server within " + wait.toMillis() + " ms");
        }
        closed = item == RawStreamReader.CLOSED;
        return closed ? null : item;
    }

    /** True when nothing arrives within {@code wait}. */
    public boolean quietFor(Duration wait) {
        if (closed) {
            return true;
        }
        Object item = poll(wait);
        if (item == null) {
            return true;
        }
        throw new AssertionError("expected nothing, got " + describe(item));
    }

    private Object poll(Duration wait) {
        try {
            return items.poll(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public Element element() {
        return expect(Element.class);
    }

    /** The first stanza matching, skipping others; fails if the stream ends first. */
    public Element expect(Predicate<Element> wanted, String what) {
        while (true) {
            Object item = next();
            if (item == null || item instanceof StreamEnd) {
                throw new AssertionError("the stream ended while we waited for " + what);
            }
            if (item instanceof Element e && wanted.test(e)) {
                return e;
            }
        }
    }

    /** Answers an IQ with an empty result. */
    public void result(Element iq) throws IOException {
        send("<iq type='result' id='" + iq.attr("id") + "' from='" + iq.attr("to") + "' to='" + iq.attr("from") + "'/>");
    }

    /** Answers an IQ with an error of the given condition and type. */
    public void error(Element iq, String condition, String type) throws IOException {
        send("<iq type='error' id='" + iq.attr("id") + "' from='" + iq.attr("to") + "' to='" + iq.attr("from")
                + "'><error type='" + type + "'><" + condition + " xmlns='" + Namespaces.STANZA_ERRORS
                + "'/></error></iq>");
    }

    /** Expects a stream error, its closing tag and the closed connection; returns the condition. */
    public String expectStreamError() {
        Object item = next();
        while (item instanceof StreamHeader) {
            item = next();
        }
        if (!(item instanceof Element error) || !error.is("error", Namespaces.STREAMS)) {
            throw new AssertionError("expected a stream error, got " + describe(item));
        }
        Element condition = error.elementIn(Namespaces.STREAM_ERRORS);
        expect(StreamEnd.class);
        if (next() != null) {
            throw new AssertionError("expected the connection to close");
        }
        return condition.name();
    }

    private <T> T expect(Class<T> type) {
        Object item = next();
        if (!type.isInstance(item)) {
            throw new AssertionError("expected " + type.getSimpleName() + ", got " + describe(item));
        }
        return type.cast(item);
    }

    private static Object describe(Object item) {
        return item instanceof Element e ? e.toXml() : item;
    }

    @Override
    public void close() {
        stopping = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // a test connection
        }
        reader.close();
    }
}
