package org.parley.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.parley.session.SessionIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops a connection that has stayed unwritable (more queued for it than Netty's high water mark,
 * never drained below the low one) for the send timeout: a client that stopped reading, or whose
 * network went away, would otherwise make the server buffer everything sent to it, without bound.
 * Closing is what a network failure would do: a session whose stream observer keeps it detached
 * waits for resumption, with nothing lost.
 */
public final class SendTimeoutHandler extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(SendTimeoutHandler.class);

    private final long timeoutMillis;
    private final String sid;
    private ScheduledFuture<?> stalled; // only touched on the event loop

    /** @param sid the connection's session id, for the log line of a timer that fires outside any event */
    public SendTimeoutHandler(Duration timeout, String sid) {
        this.timeoutMillis = timeout.toMillis();
        this.sid = sid;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            if (stalled == null) {
                stalled = ctx.executor().schedule(() -> expire(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
            }
        } else {
            cancel();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void expire(ChannelHandlerContext ctx) {
        stalled = null;
        if (!ctx.channel().isWritable() && ctx.channel().isActive()) {
            String outer = SessionIds.enter(sid);
            try {
                log.info("nothing could be written to {} for {} ms ({} bytes waiting); closing the connection",
                        ctx.channel().remoteAddress(), timeoutMillis, pending(ctx));
            } finally {
                SessionIds.exit(outer);
            }
            closeNow(ctx.channel());
        }
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

    private static long pending(ChannelHandlerContext ctx) {
        var buffer = ctx.channel().unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void cancel() {
        if (stalled != null) {
            stalled.cancel(false);
            stalled = null;
        }
    }
}
