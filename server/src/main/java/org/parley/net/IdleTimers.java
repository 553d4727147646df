package org.parley.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A client connection's idle timers: {@link IdleState#READER_IDLE} after {@code ping.idle} without
 * input (Netty's {@link IdleStateHandler}) and {@link IdleState#WRITER_IDLE} after
 * {@code c2s.keepaliveInterval} without output, as the same {@link IdleStateEvent}s.
 *
 * <p>The writer timer is kept here instead of in {@code IdleStateHandler}, which learns of output
 * from each write's completion: it turns every write's void promise into a new promise with a
 * listener, an object and a callback per stanza written. A group chat message to 5,000 occupants
 * is 5,000 writes, each a few microseconds of one core, and the promise was a few percent of it.
 * Here a write only notes the time it was made. The difference: a write that never completes (a
 * client that reads nothing) counts as output, so no keepalive is queued behind it; the send
 * timeout ({@link ConnectionGuard}) is what ends such a connection, and whitespace queued behind
 * a stuck write would not have reached the client either.
 */
final class IdleTimers extends IdleStateHandler {
    private final long writerIdleNanos;
    private final LongSupplier ticker;
    /** Event loop only. */
    private long lastWrite;
    private boolean firstWriterIdle = true;
    private Future<?> writerTimeout;
    private boolean stopped;

    IdleTimers(long readerIdleMillis, long writerIdleMillis) {
        this(readerIdleMillis, writerIdleMillis, System::nanoTime);
    }

    /** With {@code ticker} for the time of writes (a test's clock, moved with its event loop's). */
    IdleTimers(long readerIdleMillis, long writerIdleMillis, LongSupplier ticker) {
        super(readerIdleMillis, 0, 0, TimeUnit.MILLISECONDS);
        this.writerIdleNanos = writerIdleMillis <= 0 ? 0 : Math.max(TimeUnit.MILLISECONDS.toNanos(writerIdleMillis), 1_000_000L);
        this.ticker = ticker;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            startWriterTimer(ctx);
        }
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isActive()) {
            startWriterTimer(ctx);
        }
        super.channelRegistered(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        startWriterTimer(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stopWriterTimer();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        stopWriterTimer();
        super.handlerRemoved(ctx);
    }

    /** Notes the output and passes the write on with its own promise (void for a stanza). */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (writerIdleNanos > 0) {
            lastWrite = ticker.getAsLong();
            firstWriterIdle = true;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void resetWriteTimeout() {
        lastWrite = ticker.getAsLong();
    }

    private void startWriterTimer(ChannelHandlerContext ctx) {
        if (writerIdleNanos == 0 || writerTimeout != null || stopped) {
            return;
        }
        lastWrite = ticker.getAsLong();
        writerTimeout = ctx.executor().schedule(() -> writerTimedOut(ctx), writerIdleNanos, TimeUnit.NANOSECONDS);
    }

    private void stopWriterTimer() {
        stopped = true;
        if (writerTimeout != null) {
            writerTimeout.cancel(false);
            writerTimeout = null;
        }
    }

    /** As {@code IdleStateHandler}'s writer task: fires once the output has been quiet long enough, else waits the rest. */
    private void writerTimedOut(ChannelHandlerContext ctx) {
        if (stopped || !ctx.channel().isOpen()) {
            return;
        }
        long next = writerIdleNanos - (ticker.getAsLong() - lastWrite);
        if (next > 0) {
            writerTimeout = ctx.executor().schedule(() -> writerTimedOut(ctx), next, TimeUnit.NANOSECONDS);
            return;
        }
        writerTimeout = ctx.executor().schedule(() -> writerTimedOut(ctx), writerIdleNanos, TimeUnit.NANOSECONDS);
        boolean first = firstWriterIdle;
        firstWriterIdle = false;
        try {
            channelIdle(ctx, newIdleStateEvent(IdleState.WRITER_IDLE, first));
        } catch (Throwable t) {
            ctx.fireExceptionCaught(t);
        }
    }
}
