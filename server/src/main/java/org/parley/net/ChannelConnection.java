package org.parley.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import java.net.SocketAddress;
import org.parley.c2s.Connection;
import org.parley.session.SessionIds;
import org.parley.xml.Element;

/**
 * What every client connection over a Netty channel shares, whatever frames its stream: the
 * output path. Every write is a task on the channel's event loop, queued in call order, so writes
 * from any thread keep the order they were made in. Stanzas are batched: a write schedules one
 * flush behind it unless one is pending, so a burst of deliveries costs one flush (one system
 * call). Past the {@link OutputBound} the client counts as gone and writes are refused, so the
 * session can detach or store them. The non-final state is only touched on the event loop.
 */
abstract class ChannelConnection implements Connection {
    protected final Channel channel;
    /** What {@code channel.write} writes to; used directly, the embedded test channel runs no tasks in a write. */
    protected final ChannelPipeline pipeline;
    private final String id = SessionIds.next();
    private final OutputBound bound;
    private final Runnable flush = this::flushBatch;

    private boolean flushPending;
    /** The server's stream header (or {@code <open/>}) is written and no close has begun. */
    protected boolean streamOpen;
    protected boolean closing;

    /**
     * @param maxPending bytes waiting to be written (encoded, in TLS's queue or the socket's
     *                   outbound buffer) past which the client counts as gone
     */
    ChannelConnection(Channel channel, long maxPending) {
        this.channel = channel;
        this.pipeline = channel.pipeline();
        this.bound = new OutputBound(maxPending);
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public final boolean isOpen() {
        return channel.isActive();
    }

    /** Writes the server's stream opening, flushed with the features that follow it. */
    protected final void writeOpening(Object opening) {
        channel.eventLoop().execute(() -> {
            if (!closing) {
                streamOpen = true; // state first, then the write: the same order whatever the write runs
                pipeline.write(opening, channel.voidPromise());
            }
        });
    }

    @Override
    public final boolean write(Element stanza) {
        return write(stanza, null);
    }

    @Override
    public final boolean write(Element stanza, Element then) {
        if (!channel.isActive() || bound.exceeded(channel)) {
            return false;
        }
        channel.eventLoop().execute(() -> {
            writeBatched(stanza);
            if (then != null) {
                writeBatched(then);
            }
        });
        return true;
    }

    private void writeBatched(Element stanza) {
        if (closing || bound.overflowed()) {
            return;
        }
        pipeline.write(stanza, channel.voidPromise());
        if (!flushPending) {
            // Queued behind the writes of this burst; a write that runs after it schedules the next one.
            flushPending = true;
            channel.eventLoop().execute(flush);
        }
    }

    private void flushBatch() {
        flushPending = false;
        pipeline.flush();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id + ", " + channel.remoteAddress() + "]";
    }
}
