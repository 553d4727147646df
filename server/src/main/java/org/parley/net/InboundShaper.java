package org.parley.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;

/**
 * Per-connection inbound shaping, after ejabberd's shapers: two token buckets, bytes per second
 * and stanzas per second, each with a burst. A client past either is slowed first: the connection
 * stops reading (TCP backpressure then slows the sender) until its bucket has refilled. One held
 * back without a break for {@code persist} is told {@code policy-violation} by the session
 * ({@link C2sHandler} asks {@link #abusive()}). Sits before the XML decoder, after TLS, so it
 * counts the bytes of the XML stream. Event-loop only.
 */
final class InboundShaper extends ChannelInboundHandlerAdapter {
    static final String NAME = "shaper";

    /** Settings: rates per second, bursts, and how long continuous throttling may last. */
    record Limits(long bytesPerSecond, long byteBurst, long stanzasPerSecond, long stanzaBurst, long persistNanos) {
    }

    private final Limits limits;
    private double bytes;
    private double stanzas;
    private long refilled = System.nanoTime();
    private long pausedUntil;
    /** When the current run of throttling began; 0 when the client is within its rates. */
    private long throttledSince;
    private boolean paused;
    /** The session is behind (its own reason not to read; see {@link #holdForBacklog}). */
    private boolean backlogged;

    InboundShaper(Limits limits) {
        this.limits = limits;
        this.bytes = limits.byteBurst();
        this.stanzas = limits.stanzaBurst();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            spend(ctx, buf.readableBytes(), 0);
        }
        ctx.fireChannelRead(msg);
    }

    /** One stanza (or nonza) decoded; called by the session handler, on the event loop. */
    void stanza(ChannelHandlerContext ctx) {
        spend(ctx, 0, 1);
    }

    /**
     * Whether the client has been held back without a break for longer than allowed, or has already
     * sent so much that the pause it earned would take it past that (a read carries many stanzas).
     */
    boolean abusive() {
        return throttledSince != 0
                && Math.max(System.nanoTime(), pausedUntil) - throttledSince > limits.persistNanos();
    }

    private void spend(ChannelHandlerContext ctx, int byteCount, int stanzaCount) {
        long now = System.nanoTime();
        double seconds = (now - refilled) / 1e9;
        refilled = now;
        bytes = Math.min(limits.byteBurst(), bytes + seconds * limits.bytesPerSecond()) - byteCount;
        stanzas = Math.min(limits.stanzaBurst(), stanzas + seconds * limits.stanzasPerSecond()) - stanzaCount;
        double wait = Math.max(-bytes / limits.bytesPerSecond(), -stanzas / limits.stanzasPerSecond());
        if (wait <= 0) {
            if (!paused && now > pausedUntil + 1_000_000_000L) {
                throttledSince = 0; // a second within the rates since the last pause: the run is over
            }
            return;
        }
        if (throttledSince == 0) {
            throttledSince = now;
        }
        long nanos = (long) (wait * 1e9);
        pausedUntil = Math.max(pausedUntil, now + nanos);
        if (!paused) {
            paused = true;
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> resume(ctx), nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The session has too much input queued: stop reading until {@link #releaseBacklog}. */
    void holdForBacklog(ChannelHandlerContext ctx) {
        backlogged = true;
        ctx.channel().config().setAutoRead(false);
    }

    /** The session caught up: read again unless the shaper still holds the connection back. */
    void releaseBacklog(ChannelHandlerContext ctx) {
        backlogged = false;
        if (!paused) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    boolean backlogged() {
        return backlogged;
    }

    private void resume(ChannelHandlerContext ctx) {
        long left = pausedUntil - System.nanoTime();
        if (left > 0) {
            ctx.executor().schedule(() -> resume(ctx), left, TimeUnit.NANOSECONDS);
            return;
        }
        paused = false;
        if (!backlogged) {
            ctx.channel().config().setAutoRead(true);
        }
    }
}
