package org.parley.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.UUID;
import org.parley.c2s.Connection;
import org.parley.session.SessionIds;
import org.parley.xml.Element;
import org.parley.xml.Escaping;
import org.parley.xml.Node;
import org.parley.xml.StreamEnd;
import org.parley.xml.StreamHeader;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StreamError;

/**
 * A client connection over TCP (RFC 6120): the stream is a {@code <stream:stream>} document,
 * STARTTLS (§5) installs TLS in front of the pipeline, and a stream restart resets the parser.
 *
 * <p>Every write is a task on the channel's event loop, queued in call order, so writes from any
 * thread keep the order they were made in. Stanzas are batched: a write schedules one flush behind
 * it unless one is pending, so a burst of deliveries costs one flush (one system call). The state
 * below the volatile fields is only touched on the event loop.
 */
final class TcpConnection implements Connection {
    private final Channel channel;
    /** What {@code channel.write} writes to; used directly, the embedded test channel runs no tasks in a write. */
    private final ChannelPipeline pipeline;
    private final String id = SessionIds.next();
    private final String server;
    private final boolean directTls;
    private final SslContext startTls;
    private final XmlStreamDecoder decoder;
    private final Duration handshakeTimeout;
    private final OutputBound bound;
    private final Runnable flush = this::flushBatch;
    private volatile boolean secure;

    private boolean flushPending;
    private boolean streamOpen;
    private boolean closing;

    /**
     * @param startTls the context for STARTTLS, or null when it is not offered (direct TLS, or a
     *                 server without TLS)
     * @param decoder  the connection's parser, reset on a stream restart
     * @param handshakeTimeout how long a STARTTLS handshake may take (a person may be reading a
     *                 certificate prompt meanwhile)
     * @param maxPending bytes waiting to be written (encoded, in TLS's queue or the socket's
     *                   outbound buffer) past which the client counts as gone
     */
    TcpConnection(Channel channel, Jid server, boolean directTls, SslContext startTls, XmlStreamDecoder decoder,
                  Duration handshakeTimeout, long maxPending) {
        this.channel = channel;
        this.pipeline = channel.pipeline();
        this.server = server.toString();
        this.directTls = directTls;
        this.secure = directTls;
        this.startTls = directTls ? null : startTls;
        this.decoder = decoder;
        this.handshakeTimeout = handshakeTimeout;
        this.bound = new OutputBound(maxPending);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String transport() {
        return directTls ? "tcp+directtls" : "tcp";
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    /** The TLS handshake completed; on the event loop. */
    void secured() {
        secure = true;
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void open(String streamId, Jid from) {
        String header = StreamHeader.of(Namespaces.CLIENT, streamId, from.toString(), null, "1.0", "en").toXml();
        channel.eventLoop().execute(() -> {
            if (!closing) {
                streamOpen = true; // state first, then the write: the same order whatever the write runs
                pipeline.write(header, channel.voidPromise()); // flushed with the features that follow
            }
        });
    }

    @Override
    public boolean write(Element stanza) {
        return write(stanza, null);
    }

    @Override
    public boolean write(Element stanza, Element then) {
        if (!channel.isActive() || bound.exceeded(channel)) {
            return false;
        }
        channel.eventLoop().execute(() -> {
            writeBatched(stanza);
            if (then != null) {
                writeBatched(then);
            }
        });
        return true;
    }

    private void writeBatched(Element stanza) {
        if (closing || bound.overflowed()) {
            return;
        }
        pipeline.write(stanza, channel.voidPromise());
        if (!flushPending) {
            // Queued behind the writes of this burst; a write that runs after it schedules the next one.
            flushPending = true;
            channel.eventLoop().execute(flush);
        }
    }

    private void flushBatch() {
        flushPending = false;
        pipeline.flush();
    }

    @Override
    public void send(Element element) {
        if (channel.isActive()) {
            channel.eventLoop().execute(() -> {
                if (!closing) {
                    pipeline.write(render(element), channel.voidPromise());
                    pipeline.flush();
                }
            });
        }
    }

    @Override
    public void close(StreamError error) {
        channel.eventLoop().execute(() -> {
            if (closing) {
                return;
            }
            closing = true;
            if (!channel.isActive()) {
                return;
            }
            boolean opened = streamOpen;
            streamOpen = false;
            if (!opened) {
                // RFC 6120 §4.9.1.1: a stream error is sent inside a stream, even one never opened.
                pipeline.write(StreamHeader.of(Namespaces.CLIENT, UUID.randomUUID().toString(), server, null, "1.0",
                        "en").toXml(), channel.voidPromise());
            }
            if (error != null) {
                pipeline.write(error.toXml(), channel.voidPromise());
            }
            pipeline.writeAndFlush(StreamEnd.XML).addListener(ChannelFutureListener.CLOSE);
        });
    }

    @Override
    public void abort() {
        channel.close();
    }

    @Override
    public boolean canStartTls() {
        return startTls != null && !secure;
    }

    @Override
    public void startTls(Element proceed) {
        channel.eventLoop().execute(() -> {
            if (closing || !channel.isActive()) {
                return;
            }
            // The client sends its TLS hello only after <proceed/>, so installing TLS before writing
            // it (with startTls=true, leaving that one write in the clear) is race-free. The handshake's
            // outcome comes down the pipeline as an SslHandshakeCompletionEvent.
            SslHandler ssl = new SslHandler(startTls.newEngine(channel.alloc()), true);
            ssl.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
            pipeline.addAfter(SessionIdHandler.NAME, C2sListener.TLS, ssl);
            restart();
            pipeline.writeAndFlush(proceed, channel.voidPromise());
        });
    }

    @Override
    public void restartStream(Element last) {
        channel.eventLoop().execute(() -> {
            restart(); // before the client can send its new stream header
            if (!closing) {
                pipeline.writeAndFlush(last, channel.voidPromise());
            }
        });
    }

    private void restart() {
        decoder.reset();
        streamOpen = false;
    }

    /**
     * A whitespace keepalive (RFC 6120 §4.6.1), only inside an open stream: before the server's
     * header a space would precede the XML declaration. On the event loop.
     */
    void keepalive() {
        if (streamOpen && !closing) {
            pipeline.writeAndFlush(" ", channel.voidPromise());
        }
    }

    /** Stream-level elements (features, errors) carry the {@code stream:} prefix clients match literally. */
    private static Object render(Element e) {
        return Namespaces.STREAMS.equals(e.namespace()) ? prefixed(e) : e;
    }

    static String prefixed(Element e) {
        StringBuilder sb = new StringBuilder(256).append("<stream:").append(e.name());
        for (int i = 0; i < e.attributeCount(); i++) {
            sb.append(' ').append(e.attributeName(i)).append("=\"");
            Escaping.escapeAttribute(e.attributeValue(i), sb);
            sb.append('"');
        }
        if (e.children().isEmpty()) {
            return sb.append("/>").toString();
        }
        sb.append('>');
        for (Node child : e.children()) {
            child.writeTo(sb, Namespaces.CLIENT); // the stream's default namespace is in scope
        }
        return sb.append("</stream:").append(e.name()).append('>').toString();
    }

    @Override
    public String toString() {
        return "TcpConnection[" + id + ", " + channel.remoteAddress() + "]";
    }
}
