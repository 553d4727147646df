package org.parley.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.parley.session.SessionIds;

/**
 * The first handler of a client pipeline: every inbound event runs through the rest of the
 * pipeline with the connection's session id in the MDC ({@link SessionIds#MDC_KEY}), so whatever
 * a handler logs on the event loop (TLS, the parser, the session handler) names its session.
 */
final class SessionIdHandler extends ChannelInboundHandlerAdapter {
    static final String NAME = "sid";

    private final String sid;

    SessionIdHandler(String sid) {
        this.sid = sid;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        String outer = SessionIds.enter(sid);
        try {
            ctx.fireChannelActive();
        } finally {
            SessionIds.exit(outer);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        String outer = SessionIds.enter(sid);
        try {
            ctx.fireChannelRead(msg);
        } finally {
            SessionIds.exit(outer);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        String outer = SessionIds.enter(sid);
        try {
            ctx.fireChannelReadComplete();
        } finally {
            SessionIds.exit(outer);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        String outer = SessionIds.enter(sid);
        try {
            ctx.fireUserEventTriggered(evt);
        } finally {
            SessionIds.exit(outer);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        String outer = SessionIds.enter(sid);
        try {
            ctx.fireChannelWritabilityChanged();
        } finally {
            SessionIds.exit(outer);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String outer = SessionIds.enter(sid);
        try {
            ctx.fireExceptionCaught(cause);
        } finally {
            SessionIds.exit(outer);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        String outer = SessionIds.enter(sid);
        try {
            ctx.fireChannelInactive();
        } finally {
            SessionIds.exit(outer);
        }
    }
}
