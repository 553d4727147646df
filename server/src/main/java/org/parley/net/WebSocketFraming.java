package org.parley.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Between the WebSocket frame decoder (messages already reassembled) and the XML decoder: hands
 * on the text of each message, without the whitespace around it, followed by
 * {@link Boundary#MESSAGE_END}, so the handler behind can check that every message is exactly one
 * element (RFC 7395 §3.3.3). A message of only whitespace is dropped (it carries nothing); a
 * binary message is {@link Boundary#BINARY}, which XMPP over WebSocket does not use. Answers pings
 * and the client's closing handshake.
 */
final class WebSocketFraming extends ChannelInboundHandlerAdapter {
    static final String NAME = "ws-framing";

    /** What the handler behind sees between messages. */
    enum Boundary { MESSAGE_END, BINARY }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            switch (frame) {
                case TextWebSocketFrame text -> message(ctx, text.content());
                case BinaryWebSocketFrame binary -> ctx.fireChannelRead(Boundary.BINARY);
                case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                case CloseWebSocketFrame close -> ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), ""))
                        .addListener(ChannelFutureListener.CLOSE);
                default -> {
                    // PongWebSocketFrame: the reply to a keepalive; that something arrived is all it says.
                }
            }
        } finally {
            frame.release();
        }
    }

    private static void message(ChannelHandlerContext ctx, ByteBuf content) {
        int from = content.readerIndex();
        int to = content.writerIndex();
        while (from < to && isSpace(content.getByte(from))) {
            from++;
        }
        while (to > from && isSpace(content.getByte(to - 1))) {
            to--;
        }
        if (from == to) {
            return;
        }
        ctx.fireChannelRead(content.retainedSlice(from, to - from));
        ctx.fireChannelRead(Boundary.MESSAGE_END);
    }

    /** XML's white space (§2.3 S). */
    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
