package org.parley.net;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StreamError;

/**
 * A client connection over WebSocket (RFC 7395): the stream is opened and closed with
 * {@code <open/>} and {@code <close/>} in the framing namespace, every stanza or nonza is one text
 * message, and a stream restart needs no parser reset (each message is a whole element). There is
 * no STARTTLS: the connection is as secure as the HTTP connection it upgraded (RFC 7395 §3.4).
 *
 * <p>Writes go through {@link ChannelConnection}'s batched, bounded output path;
 * {@link WebSocketEncoder} turns what is written into frames.
 */
final class WebSocketConnection extends ChannelConnection {
    static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";

    private final String server;
    private final boolean secure;
    /** websocket.seeOtherUri, or null. */
    private final String seeOtherUri;

    /**
     * @param secure     the upgraded request came over TLS, or from a reverse proxy on loopback that terminated it
     * @param maxPending c2s.maxPendingOutputBytes, as for {@link TcpConnection}
     * @param seeOtherUri where a stopping server sends the client (websocket.seeOtherUri), or null
     * @param closeTimeout c2s.closeTimeout: how long the client's closing frame is awaited
     */
    WebSocketConnection(Channel channel, Jid server, boolean secure, long maxPending, String seeOtherUri,
                        Duration closeTimeout) {
        super(channel, maxPending, closeTimeout);
        this.server = server.toString();
        this.secure = secure;
        this.seeOtherUri = seeOtherUri;
    }

    @Override
    public String transport() {
        return "websocket";
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    /** RFC 7395 §3.4: the server's {@code <open/>} answers the client's. */
    static Element open(String streamId, String from) {
        return Element.builder("open", FRAMING).attr("id", streamId).attr("from", from).attr("version", "1.0")
                .attr("xml:lang", "en").build();
    }

    @Override
    public void open(String streamId, Jid from) {
        writeOpening(open(streamId, from.toString()));
    }

    @Override
    public void send(Element element) {
        if (channel.isActive()) {
            channel.eventLoop().execute(() -> {
                if (!closing) {
                    pipeline.writeAndFlush(element, channel.voidPromise());
                }
            });
        }
    }

    /**
     * RFC 7395 §3.6: the error if any, {@code <close/>} (on a server stop with websocket.seeOtherUri
     * set: no error, and {@code <close see-other-uri='…'/>}), then the WebSocket closing handshake's
     * first frame; the connection closes when the client's closing frame comes back, or after
     * c2s.closeTimeout (RFC 6455 §7.1.1). Until then what the client still sends is read and
     * dropped: closing a socket with unread input makes the kernel reset the connection, and a reset
     * can discard what was written last, so a client cut off while it was still sending (or while
     * the shaper had stopped reading it) would never see the error (RFC 6120 §4.9).
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
            if (!streamOpen) {
                // RFC 6120 §4.9.1.1 as RFC 7395 §3.6.1 maps it: the error follows an <open/>.
                pipeline.write(open(java.util.UUID.randomUUID().toString(), server), channel.voidPromise());
            }
            streamOpen = false;
            Element close = Element.empty("close", FRAMING);
            if (seeOtherUri != null && error != null && error.condition() == StreamError.Condition.SYSTEM_SHUTDOWN) {
                // §3.6.1: a redirect instead of the error, so the client reconnects there at once.
                close = close.withAttr("see-other-uri", seeOtherUri);
            } else if (error != null) {
                pipeline.write(error.toElement(), channel.voidPromise());
            }
            pipeline.write(close, channel.voidPromise());
            pipeline.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                    .addListener(written -> awaitClientClose());
        });
    }

    /**
     * The closing frame is out: read and drop until the client's closing frame, then close, at the
     * latest after c2s.closeTimeout. On the event loop.
     */
    private void awaitClientClose() {
        if (!channel.isActive()) {
            return;
        }
        if (pipeline.get(WebSocketFraming.NAME) == null) {
            channel.close(); // not a WebSocket pipeline (a test's embedded channel)
            return;
        }
        pipeline.addBefore(WebSocketFraming.NAME, ClosingDrain.NAME, new ClosingDrain());
        channel.config().setAutoRead(true); // whatever the shaper or the session's backlog said
        channel.read();
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void abort() {
        channel.close();
    }

    @Override
    public boolean canStartTls() {
        return false;
    }

    @Override
    public void startTls(Element proceed) {
        throw new UnsupportedOperationException("no STARTTLS over WebSocket (RFC 7395 §3.4)");
    }

    @Override
    public void restartStream(Element last) {
        channel.eventLoop().execute(() -> {
            streamOpen = false;
            if (!closing) {
                pipeline.writeAndFlush(last, channel.voidPromise());
            }
        });
    }

    /** A WebSocket ping (RFC 6455 §5.5.2) when the server has been quiet; on the event loop. */
    void keepalive() {
        if (!closing) {
            pipeline.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
        }
    }
}
