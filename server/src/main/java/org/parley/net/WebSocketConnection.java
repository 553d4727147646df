package org.parley.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.SocketAddress;
import org.parley.c2s.Connection;
import org.parley.session.SessionIds;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StreamError;

/**
 * A client connection over WebSocket (RFC 7395): the stream is opened and closed with
 * {@code <open/>} and {@code <close/>} in the framing namespace, every stanza or nonza is one text
 * message, and a stream restart needs no parser reset (each message is a whole element). There is
 * no STARTTLS: the connection is as secure as the HTTP connection it upgraded (RFC 7395 §3.4).
 *
 * <p>As with {@link TcpConnection}, every write is a task on the channel's event loop in call
 * order, stanzas are batched with one flush per burst, and the state below the final fields is
 * only touched on the event loop. {@link WebSocketEncoder} turns what is written into frames.
 */
final class WebSocketConnection implements Connection {
    static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";

    private final Channel channel;
    private final ChannelPipeline pipeline;
    private final String id = SessionIds.next();
    private final String server;
    private final boolean secure;
    private final Runnable flush = this::flushBatch;
    private final OutputBound bound;

    private boolean flushPending;
    private boolean streamOpen;
    private boolean closing;

    /**
     * @param secure     the upgraded request came over TLS, or from a reverse proxy on loopback that terminated it
     * @param maxPending c2s.maxPendingOutputBytes, as for {@link TcpConnection}
     */
    WebSocketConnection(Channel channel, Jid server, boolean secure, long maxPending) {
        this.channel = channel;
        this.pipeline = channel.pipeline();
        this.server = server.toString();
        this.secure = secure;
        this.bound = new OutputBound(maxPending);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String transport() {
        return "websocket";
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    /** RFC 7395 §3.4: the server's {@code <open/>} answers the client's. */
    static Element open(String streamId, String from) {
        return Element.builder("open", FRAMING).attr("id", streamId).attr("from", from).attr("version", "1.0")
                .attr("xml:lang", "en").build();
    }

    @Override
    public void open(String streamId, Jid from) {
        Element open = open(streamId, from.toString());
        channel.eventLoop().execute(() -> {
            if (!closing) {
                streamOpen = true;
                pipeline.write(open, channel.voidPromise()); // flushed with the features that follow
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
                    pipeline.writeAndFlush(element, channel.voidPromise());
                }
            });
        }
    }

    /**
     * RFC 7395 §3.6: the error if any, {@code <close/>}, then the WebSocket closing handshake's
     * first frame; the connection closes once that is written (the client's closing frame is not
     * awaited: nothing it could send matters any more).
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
            if (error != null) {
                pipeline.write(error.toElement(), channel.voidPromise());
            }
            pipeline.write(Element.empty("close", FRAMING), channel.voidPromise());
            pipeline.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                    .addListener(ChannelFutureListener.CLOSE);
        });
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

    @Override
    public String toString() {
        return "WebSocketConnection[" + id + ", " + channel.remoteAddress() + "]";
    }
}
