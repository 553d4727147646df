package org.parley.net;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
 * Writes go through {@link ChannelConnection}'s batched, bounded output path.
 */
final class TcpConnection extends ChannelConnection {
    private final String server;
    private final boolean directTls;
    private final SslContext startTls;
    private final XmlStreamDecoder decoder;
    private final Duration handshakeTimeout;
    private volatile boolean secure;

    /**
     * @param startTls the context for STARTTLS, or null when it is not offered (direct TLS, or a
     *                 server without TLS)
     * @param decoder  the connection's parser, reset on a stream restart
     * @param handshakeTimeout how long a STARTTLS handshake may take (a person may be reading a
     *                 certificate prompt meanwhile)
     * @param maxPending bytes waiting to be written (encoded, in TLS's queue or the socket's
     *                   outbound buffer) past which the client counts as gone
     * @param closeTimeout c2s.closeTimeout: how long the client's close is awaited once the server ended the stream
     */
    TcpConnection(Channel channel, Jid server, boolean directTls, SslContext startTls, XmlStreamDecoder decoder,
                  Duration handshakeTimeout, long maxPending, Duration closeTimeout) {
        super(channel, maxPending, closeTimeout);
        this.server = server.toString();
        this.directTls = directTls;
        this.secure = directTls;
        this.startTls = directTls ? null : startTls;
        this.decoder = decoder;
        this.handshakeTimeout = handshakeTimeout;
    }

    @Override
    public String transport() {
        return directTls ? "tcp+directtls" : "tcp";
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
    public void open(String streamId, Jid from) {
        writeOpening(StreamHeader.of(Namespaces.CLIENT, streamId, from.toString(), null, "1.0", "en").toXml());
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

    /**
     * Ends the stream (RFC 6120 §4.4, §4.9): the error if any and the closing tag, then a half-close
     * once they are written ({@link #halfClose}), when the session ends as it would have with the
     * connection closed; the connection closes when the client closes its side, and after
     * c2s.closeTimeout whatever happened (a client that reads nothing never lets the last write
     * complete).
     */
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
            channel.eventLoop().schedule(() -> ConnectionGuard.closeNow(channel), closeTimeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            pipeline.writeAndFlush(StreamEnd.XML).addListener(written -> halfClose());
        });
    }

    /**
     * The closing tag is in the socket: the end of output (TLS: close_notify, then FIN) follows it,
     * and what the client still sends is read and dropped ({@link ClosingDrain}) until it closes.
     * Closing at once would reset the connection whenever input is still unread, and a reset
     * discards what was written but not yet delivered: the client would lose the stream error. On
     * the event loop.
     */
    private void halfClose() {
        if (!channel.isActive()) {
            return;
        }
        if (!(channel instanceof DuplexChannel duplex)) {
            channel.close(); // a test's embedded channel
            return;
        }
        C2sHandler session = pipeline.get(C2sHandler.class);
        if (session != null) {
            session.streamEnded();
        }
        pipeline.addFirst(ClosingDrain.NAME, new ClosingDrain()); // before TLS and the parser: raw bytes
        channel.config().setAutoRead(true); // whatever the shaper or the session's backlog said
        channel.read();
        SslHandler tls = pipeline.get(SslHandler.class);
        if (tls == null) {
            duplex.shutdownOutput();
        } else {
            tls.closeOutbound().addListener(notified -> duplex.shutdownOutput());
        }
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
            pipeline.addAfter(ConnectionGuard.NAME, C2sListener.TLS, ssl);
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
}
