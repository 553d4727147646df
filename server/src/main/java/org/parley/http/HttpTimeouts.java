package org.parley.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches the bytes of a connection before the HTTP decoder and tells the dispatcher (by a user
 * event) when the client is too slow: a request's header section not complete
 * {@code headerTimeout} after its first byte ({@link Expired#HEADERS}, answered 408: a client
 * that trickles headers would otherwise hold a connection open for ever), nothing at all from the
 * client for {@code idleTimeout} while the server waits for it ({@link Expired#IDLE}: an idle
 * kept-alive connection, a body that stopped coming), or the connection unwritable that long (more
 * than Netty's high water mark queued: a client that stopped reading its response, also
 * {@link Expired#IDLE}). While a handler works or the connection has paused reading for a slow
 * handler, the server is not waiting for the client and only the last applies. All state is
 * touched on the event loop only.
 */
final class HttpTimeouts extends ChannelInboundHandlerAdapter {

    /** The user event fired down the pipeline when a timeout expires. */
    enum Expired { HEADERS, IDLE }

    private final long headerNanos;
    private final long idleNanos;
    private final long tickNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> ticker;
    private boolean inRequest;      // the header section of the current request is complete
    private boolean waiting = true; // the server waits for bytes from the client
    private long headerStart = -1;  // first byte of a request whose header section is incomplete
    private long lastRead;
    private long unwritableSince = -1;

    HttpTimeouts(Duration headerTimeout, Duration idleTimeout) {
        this.headerNanos = headerTimeout.toNanos();
        this.idleNanos = idleTimeout.toNanos();
        // Checked a few times per shortest timeout: a deadline is met within a fifth of it.
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(headerNanos, idleNanos) / 5);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        lastRead = System.nanoTime();
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        if (ticker == null) {
            lastRead = System.nanoTime();
            ticker = ctx.executor().scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b && b.isReadable()) {
            lastRead = System.nanoTime();
            if (!inRequest && headerStart < 0) {
                headerStart = lastRead;
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        if (!writable && unwritableSince < 0) {
            unwritableSince = System.nanoTime();
        } else if (writable) {
            unwritableSince = -1;
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** The dispatcher has a request's header section: the header clock stops. */
    void headersComplete() {
        inRequest = true;
        headerStart = -1;
    }

    /** The response to the current request is written; the next request's clock starts at its first byte. */
    void requestDone() {
        inRequest = false;
        headerStart = -1;
        waiting(true);
    }

    /** Whether the server now waits for the client (between requests, reading a body it has room for). */
    void waiting(boolean waiting) {
        if (waiting && !this.waiting) {
            lastRead = System.nanoTime();
        }
        this.waiting = waiting;
    }

    private void tick() {
        long now = System.nanoTime();
        if (!inRequest && headerStart >= 0 && now - headerStart >= headerNanos) {
            stop();
            ctx.fireUserEventTriggered(Expired.HEADERS);
        } else if (waiting && now - lastRead >= idleNanos
                || unwritableSince >= 0 && now - unwritableSince >= idleNanos) {
            stop();
            ctx.fireUserEventTriggered(Expired.IDLE);
        }
    }

    private void stop() {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }
}
