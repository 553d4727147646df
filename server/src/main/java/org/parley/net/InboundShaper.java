package org.parley.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;

/**
 * Per-connection inbound shaping ({@link InboundRates}: two token buckets, bytes and stanzas per
 * second, each with a burst). A client past either is slowed first: the connection
 * stops reading (TCP backpressure then slows the sender) until its bucket has refilled. One held
 * back without a break for {@code persist} is told {@code policy-violation} by the session
 * ({@link C2sHandler} asks {@link #abusive()}). Sits before the XML decoder, after TLS, so it
 * counts the bytes of the XML stream. Event-loop only.
 */
final class InboundShaper extends ChannelInboundHandlerAdapter {
    static final String NAME = "shaper";

    private final InboundRates rates;
    private boolean paused;
    /** The session is behind (its own reason not to read; see {@link #holdForBacklog}). */
    private boolean backlogged;

    InboundShaper(InboundRates.Limits limits) {
        this.rates = new InboundRates(limits);
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
        return rates.abusive();
    }

    private void spend(ChannelHandlerContext ctx, int byteCount, int stanzaCount) {
        long nanos = rates.spend(byteCount, stanzaCount, paused);
        if (nanos > 0 && !paused) {
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
        long left = rates.pauseLeft();
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
