package org.parley.testing;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLSocket;
import org.parley.xml.Element;
import org.parley.xml.StreamEnd;
import org.parley.xml.StreamHeader;
import org.parley.xml.XmlLimits;
import org.parley.xml.XmlStreamDecoder;

/**
 * A client that writes XML text of its choosing to a {@link TestServer}'s direct TLS port, for
 * input Smack would never produce. What the server sends back is parsed into {@link StreamHeader},
 * {@link Element} (one per first-level child) and {@link StreamEnd} and queued; the end of the
 * connection is queued as {@link #CLOSED}.
 */
public final class RawXmppClient implements AutoCloseable {
    /** Queued when the server closes the connection (or it breaks). */
    public static final Object CLOSED = new Object() {
        @Override
        public String toString() {
            return "CLOSED";
        }
    };

    public static final String CLIENT = "jabber:client";
    public static final String STREAMS = "http://etherx.jabber.org/streams";
    public static final String STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";
    public static final String STANZA_ERRORS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    private static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    private static final String BIND = "urn:ietf:params:xml:ns:xmpp-bind";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final SSLSocket socket;
    private final OutputStream out;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final XmlStreamDecoder decoder = new XmlStreamDecoder(new XmlLimits(16 * 1024 * 1024, 64));
    private final EmbeddedChannel parser;
    private final Thread reader;
    private String jid;

    private RawXmppClient(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.parser = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                received.add(msg);
                if (msg instanceof Element e && e.is("success", SASL)) {
                    decoder.reset(); // the server's next bytes start a new stream (RFC 6120 §6.4.6)
                }
            }
        });
        InputStream in = socket.getInputStream();
        this.reader = Thread.ofVirtual().name("raw-xmpp-reader").start(() -> read(in));
    }

    /** Connects over direct TLS (XEP-0368), trusting exactly the test server's certificate. */
    public static RawXmppClient connect(TestServer server) throws IOException {
        SSLSocket socket = (SSLSocket) server.sslContext().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.directTlsPort());
        socket.setSoTimeout(0);
        socket.startHandshake();
        return new RawXmppClient(socket);
    }

    /** Connects, authenticates with SASL PLAIN and binds {@code resource}: ready for stanzas. */
    public static RawXmppClient login(TestServer server, String user, String password, String resource)
            throws IOException {
        RawXmppClient c = connect(server);
        c.openStream();
        String credentials = Base64.getEncoder().encodeToString(
                ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        c.send("<auth xmlns='" + SASL + "' mechanism='PLAIN'>" + credentials + "</auth>");
        c.expect(e -> e.is("success", SASL), "SASL success");
        c.openStream();
        c.send("<iq type='set' id='bind-1'><bind xmlns='" + BIND + "'><resource>" + resource
                + "</resource></bind></iq>");
        Element result = c.expect(e -> "bind-1".equals(e.attr("id")), "bind result");
        if (!"result".equals(result.attr("type"))) {
            throw new IllegalStateException("bind failed: " + result.toXml());
        }
        c.jid = result.element("bind", BIND).childText("jid", BIND);
        return c;
    }

    /** Sends a stream header and waits for the server's header and features. */
    public Element openStream() throws IOException {
        send("<?xml version='1.0'?><stream:stream xmlns='" + CLIENT + "' xmlns:stream='" + STREAMS
                + "' to='" + TestServer.DOMAIN + "' version='1.0'>");
        return expect(e -> e.is("features", STREAMS), "stream features");
    }

    /** The full JID bound by {@link #login}. */
    public String jid() {
        return jid;
    }

    public void send(String xml) throws IOException {
        send(xml.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends, ignoring a connection the server has already closed (it may stop reading mid-write). */
    public void sendQuietly(String xml) {
        try {
            send(xml);
        } catch (IOException ignored) {
            // The reply, if any, is still read from the queue.
        }
    }

    /** The next item from the server: a StreamHeader, Element, StreamEnd, or CLOSED; null on timeout. */
    public Object next(Duration timeout) {
        try {
            return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The next element the server sends, skipping stream headers; fails on timeout or close. */
    public Element nextElement() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Object item = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (item == null) {
                throw new AssertionError("no element from the server within " + WAIT);
            }
            if (item instanceof Element e) {
                return e;
            }
            if (item == CLOSED || item instanceof StreamEnd) {
                throw new AssertionError("the server ended the stream instead of sending an element");
            }
        }
    }

    /** Waits for the first element matching, skipping others; fails on timeout or close. */
    public Element expect(Predicate<Element> wanted, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Object item = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (item == null) {
                throw new AssertionError("no " + what + " from the server within " + WAIT);
            }
            if (item == CLOSED || item instanceof StreamEnd) {
                throw new AssertionError("the server ended the stream while we waited for " + what);
            }
            if (item instanceof Element e && wanted.test(e)) {
                return e;
            }
        }
    }

    /**
     * Waits for the stream to end with an error (RFC 6120 §4.9): the {@code <stream:error/>},
     * then the closing tag, then the closed connection. Returns the condition element's name;
     * fails if any stanza came first or the stream did not close.
     */
    public String expectStreamError() {
        Element error = nextElement();
        if (!error.is("error", STREAMS)) {
            throw new AssertionError("expected a stream error, got " + error.toXml());
        }
        Element condition = error.elementIn(STREAM_ERRORS);
        if (condition == null) {
            throw new AssertionError("stream error without a condition: " + error.toXml());
        }
        expectClosed();
        return condition.name();
    }

    /** Waits for {@code </stream:stream>} and the end of the connection. */
    public void expectClosed() {
        boolean endTag = false;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Object item = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (item == null) {
                throw new AssertionError("the server did not close the connection within " + WAIT);
            }
            if (item instanceof StreamEnd) {
                endTag = true;
            } else if (item == CLOSED) {
                if (!endTag) {
                    throw new AssertionError("connection closed without </stream:stream>");
                }
                return;
            } else if (item instanceof Element e) {
                throw new AssertionError("unexpected element before the stream closed: " + e.toXml());
            }
        }
    }

    /** The text of the stream error's optional {@code <text/>}, from an error element. */
    public static String streamErrorText(Element error) {
        return error.childText("text", STREAM_ERRORS);
    }

    /** The defined condition of a stanza error ({@code <error/>} child of a stanza), or null. */
    public static String stanzaErrorCondition(Element stanza) {
        Element error = stanza.element("error", CLIENT);
        Element condition = error == null ? null : error.elementIn(STANZA_ERRORS);
        return condition == null ? null : condition.name();
    }

    private void read(InputStream in) {
        byte[] buf = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                parser.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
            }
        } catch (IOException | RuntimeException e) {
            // A reset or a parse failure both end what this client can see.
        } finally {
            received.add(CLOSED);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed by the server.
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
