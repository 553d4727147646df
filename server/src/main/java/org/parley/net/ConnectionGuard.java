package org.parley.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.parley.session.SessionIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of a client pipeline, with two duties that need no place of their own in it
 * (one handler rather than two saves a pipeline context per connection, most of which are idle):
 *
 * <ul>
 * <li>Every inbound event runs through the rest of the pipeline with the connection's session id
 * in the MDC ({@link SessionIds#MDC_KEY}), so whatever a handler logs on the event loop (TLS, the
 * parser, the session handler) names its session.
 * <li>The send timeout: a connection that has stayed unwritable (more queued for it than Netty's
 * high water mark, never drained below the low one) that long is dropped. A client that stopped
 * reading, or whose network went away, would otherwise make the server buffer everything sent to
 * it, without bound. Closing is what a network failure would do: a session whose stream observer
 * keeps it detached waits for resumption, with nothing lost.
 * </ul>
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {
    static final String NAME = "guard";
    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

    private final String sid;
    private final long sendTimeoutMillis;
    private ScheduledFuture<?> stalled; // only touched on the event loop

    ConnectionGuard(String sid, Duration sendTimeout) {
        this.sid = sid;
        this.sendTimeoutMillis = sendTimeout.toMillis();
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
        if (!ctx.channel().isWritable()) {
            if (stalled == null) {
                stalled = ctx.executor().schedule(() -> expire(ctx), sendTimeoutMillis, TimeUnit.MILLISECONDS);
            }
        } else {
            cancel();
        }
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
        cancel();
        String outer = SessionIds.enter(sid);
        try {
            ctx.fireChannelInactive();
        } finally {
            SessionIds.exit(outer);
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        stalled = null;
        if (!ctx.channel().isWritable() && ctx.channel().isActive()) {
            String outer = SessionIds.enter(sid);
            try {
                log.info("nothing could be written to {} for {} ms ({} bytes waiting); closing the connection",
                        ctx.channel().remoteAddress(), sendTimeoutMillis, pending(ctx));
            } finally {
                SessionIds.exit(outer);
            }
            closeNow(ctx.channel());
        }
    }

    private void cancel() {
        if (stalled != null) {
            stalled.cancel(false);
            stalled = null;
        }
    }

    private static long pending(ChannelHandlerContext ctx) {
        var buffer = ctx.channel().unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /**
     * Closes a connection whose client reads nothing. It will not read a TLS close_notify either:
     * close now instead of waiting the TLS handler's flush timeout (3 s) with the session and its
     * buffers still held.
     */
    static void closeNow(Channel channel) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> closeNow(channel));
            return;
        }
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls != null) {
            tls.setCloseNotifyFlushTimeout(1, TimeUnit.MILLISECONDS);
        }
        channel.close();
    }
}
