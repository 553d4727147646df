package org.parley.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Once the server has ended a client's stream and sent its last bytes: what the client still sends
 * is read and dropped, unparsed and uncounted, until the client closes (end of input, or over
 * WebSocket its closing frame, the answer of RFC 6455 §5.5.1) or c2s.closeTimeout passes. Closing
 * a socket with unread input makes the kernel reset the connection, and a reset discards what was
 * written last and not yet delivered, so a client cut off while it was still sending (or while the
 * shaper had stopped reading it) would never see the stream error (RFC 6120 §4.9).
 */
final class ClosingDrain extends ChannelInboundHandlerAdapter {
    static final String NAME = "closing";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        boolean closing = msg instanceof CloseWebSocketFrame;
        ReferenceCountUtil.release(msg);
        if (closing) {
            ctx.close();
        }
    }
}
