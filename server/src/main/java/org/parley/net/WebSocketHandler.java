package org.parley.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.parley.c2s.Connection;
import org.parley.c2s.InboundBudget;
import org.parley.c2s.StreamInput;
import org.parley.xml.Element;
import org.parley.xml.StreamEnd;
import org.parley.xml.StreamHeader;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xml.XmlStreamException;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StreamError;
import org.parley.xmpp.StreamError.Condition;

/**
 * The last handler of a WebSocket client pipeline (RFC 7395): hands the session its
 * {@code <open/>} as a stream header, {@code <close/>} as the stream's end and every other
 * element as it is, after checking that each message was exactly one whole element (§3.3.3).
 * Otherwise as {@link C2sHandler}: parser failures become stream errors, reading pauses while the
 * session is behind or the client is past its inbound rates (one held back too long ends with
 * {@code policy-violation}), silence is reported, and a quiet server sends a WebSocket ping.
 *
 * <p>The XML decoder in front parses the messages as the children of one stream that
 * {@link WebSocketEndpoint} opened with a synthetic header, so each message is parsed once, with
 * the TCP stream's limits, and a stanza without {@code xmlns} is still {@code jabber:client}.
 */
final class WebSocketHandler extends ChannelInboundHandlerAdapter {
    private final WebSocketConnection connection;
    private final XmlStreamDecoder decoder;
    private final Function<Connection, StreamInput> sessions;
    private final int maxQueued;
    private final InboundShaper shaper;
    private final InboundBudget budget;
    private StreamInput input;
    private boolean wrapperSeen;
    private Element pending;
    private boolean failed;

    WebSocketHandler(WebSocketConnection connection, XmlStreamDecoder decoder,
                     Function<Connection, StreamInput> sessions, int maxQueued, InboundShaper shaper,
                     InboundBudget budget) {
        this.connection = connection;
        this.decoder = decoder;
        this.sessions = sessions;
        this.maxQueued = maxQueued;
        this.shaper = shaper;
        this.budget = budget;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // The channel is active already (it was an HTTP connection): the session starts with the handler.
        input = sessions.apply(connection);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (failed) {
            return;
        }
        switch (msg) {
            case StreamHeader h when !wrapperSeen -> wrapperSeen = true;
            case Element e -> {
                // Held until the message ends: a message that is not one whole element is refused whole.
                if (pending != null) {
                    fail("more than one element in a message (RFC 7395 §3.3.3)");
                    return;
                }
                pending = e;
                return;
            }
            case WebSocketFraming.Boundary b when b == WebSocketFraming.Boundary.MESSAGE_END -> {
                Element e = pending;
                pending = null;
                if (e == null || !decoder.betweenElements()) {
                    fail("a message is not one whole element (RFC 7395 §3.3.3)");
                    return;
                }
                if (e.is("open", WebSocketConnection.FRAMING)) {
                    input.header(connection, header(e));
                } else if (e.is("close", WebSocketConnection.FRAMING)) {
                    input.end(connection);
                } else {
                    input.element(connection, e, decoder.lastElementBytes());
                }
            }
            case WebSocketFraming.Boundary b -> {
                failed = true;
                input.failed(connection, StreamError.of(Condition.UNSUPPORTED_ENCODING,
                        "XMPP over WebSocket is sent in text messages (RFC 7395 §3.2)"));
                return;
            }
            case StreamEnd end -> {
                return; // the synthetic stream never ends
            }
            default -> {
                ctx.fireChannelRead(msg);
                return;
            }
        }
        shaper.stanza(ctx);
        if (shaper.abusive()) {
            failed = true;
            input.failed(connection, StreamError.of(Condition.POLICY_VIOLATION, "sending too fast for too long"));
            return;
        }
        // Stop reading from a client whose input queues up faster than it is processed, or that has
        // input waiting while the server as a whole has too much (InboundBudget). Unlike TCP, the
        // rest of a read is still parsed: a message is one stanza, and a read rarely holds many.
        if (shaper.backlogged()) {
            return;
        }
        int backlog = input.backlog();
        if (backlog > maxQueued) {
            shaper.holdForBacklog(ctx);
            input.whenCaughtUp(() -> ctx.channel().eventLoop().execute(() -> shaper.releaseBacklog(ctx)));
        } else if (backlog > 1 && budget.over()) {
            shaper.holdForBacklog(ctx);
            budget.whenBelow(() -> ctx.channel().eventLoop().execute(() -> shaper.releaseBacklog(ctx)));
        }
    }

    private void fail(String why) {
        failed = true;
        input.failed(connection, StreamError.of(Condition.NOT_WELL_FORMED, why));
    }

    /** The {@code <open/>} as the stream header it stands for (RFC 7395 §3.3.2). */
    static StreamHeader header(Element open) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < open.attributeCount(); i++) {
            attributes.put(open.attributeName(i), open.attributeValue(i));
        }
        return new StreamHeader(Namespaces.CLIENT, StreamHeader.STREAMS_NAMESPACE, "stream", attributes);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        XmlStreamException x = XmlStreamException.in(cause);
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (failed) {
            return;
        }
        failed = true;
        if (x != null) {
            input.failed(connection, StreamError.of(x));
        } else if (root instanceof TooLongFrameException || root instanceof CorruptedWebSocketFrameException c
                && WebSocketCloseStatus.MESSAGE_TOO_BIG.equals(c.closeStatus())) {
            input.failed(connection, StreamError.of(Condition.POLICY_VIOLATION, "a message is larger than a stanza may be"));
        } else if (root instanceof CorruptedFrameException) {
            input.failed(connection, StreamError.of(Condition.BAD_FORMAT, "not a WebSocket frame (RFC 6455 §5)"));
        } else if (root instanceof IOException) {
            ctx.close();
        } else {
            input.failed(connection, StreamError.of(Condition.INTERNAL_SERVER_ERROR));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        input.disconnected(connection);
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                input.silent(connection);
            } else if (idle.state() == IdleState.WRITER_IDLE) {
                connection.keepalive();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }
}
