package org.parley.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.c2s.Connection;
import org.parley.session.FanOut;
import org.parley.session.SessionIds;
import org.parley.xml.Element;

/**
 * What every client connection over a Netty channel shares, whatever frames its stream: the
 * output path. Every write is a task on the channel's event loop, queued in call order, so writes
 * from any thread keep the order they were made in. Stanzas are batched: a write flushes at once
 * when no other write of the connection is queued, else leaves one flush behind the burst, so a
 * burst of deliveries costs one flush (one system call) and a lone stanza no task of its own. Past the {@link OutputBound} the client counts as gone and writes are refused, so the
 * session can detach or store them. The non-final state is only touched on the event loop.
 *
 * <p>Bursts the server sends on its own are paced by the client's reading instead of counted as
 * a slow reader: a retransmission ({@link #writeAgain}) goes into a backlog written a chunk at a
 * time, the next chunk once the last reached the socket, with later writes queued behind it (and
 * counted by the bound); a burst from storage waits for room ({@link #awaitRoom}) between stanzas.
 */
abstract class ChannelConnection implements Connection {
    protected final Channel channel;
    /** c2s.closeTimeout: once the server ended the stream, how long the client's own close is awaited. */
    protected final Duration closeTimeout;
    /** What {@code channel.write} writes to; used directly, the embedded test channel runs no tasks in a write. */
    protected final ChannelPipeline pipeline;
    private final String id = SessionIds.next();
    private final OutputBound bound;
    private final Runnable flush = this::flushBatch;

    /** Pending output below which a paced burst writes more: a chunk at a time. */
    static final int CHUNK = 64 * 1024;
    /** Writes queued on the event loop a burst from storage may find before it waits for them. */
    private static final int QUEUED_SLACK = 2;

    /** Writes handed to the event loop and not yet run: their bytes are not in any buffer yet. */
    private final AtomicInteger queuedWrites = new AtomicInteger();
    /** What waits behind a paced burst, in order; each with the bytes it counts against the bound. */
    private final ArrayDeque<Queued> backlog = new ArrayDeque<>();
    /** Estimated bytes of the backlog that the bound counts (not the burst's). */
    private volatile long backlogBytes;
    private volatile int backlogSize;
    /**
     * A paced burst is being written (its backlog, or its last chunk not yet in the socket): what
     * waits in the channel's buffers is the burst's, at most a chunk and a stanza, and the bound
     * counts only what waits behind it.
     */
    private volatile boolean pacing;

    private record Queued(Element stanza, long counted) {
    }

    private boolean flushPending;
    /** Something was written since the last flush (event loop only). */
    private boolean unflushed;
    /** The server's stream header (or {@code <open/>}) is written and no close has begun. */
    protected boolean streamOpen;
    protected boolean closing;

    /**
     * @param maxPending bytes waiting to be written (encoded, in TLS's queue or the socket's
     *                   outbound buffer) past which the client counts as gone
     * @param closeTimeout c2s.closeTimeout
     */
    ChannelConnection(Channel channel, long maxPending, Duration closeTimeout) {
        this.channel = channel;
        this.closeTimeout = closeTimeout;
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
        if (!channel.isActive() || bound.exceeded(channel, backlogBytes, pacing)) {
            return false;
        }
        queuedWrites.incrementAndGet();
        Runnable task = () -> {
            queuedWrites.decrementAndGet();
            writeBatched(stanza);
            if (then != null) {
                writeBatched(then);
            }
            flushOrDefer();
        };
        EventLoop loop = channel.eventLoop();
        FanOut fanOut = FanOut.current();
        if (fanOut != null && loop instanceof SingleThreadEventExecutor lazy) {
            // One of many copies: queued in order without waking the loop; the fan-out wakes it.
            lazy.lazyExecute(task);
            fanOut.deferred(loop, lazy::pendingTasks);
        } else {
            loop.execute(task);
        }
        return true;
    }

    @Override
    public final void writeAgain(List<Element> stanzas) {
        if (stanzas.isEmpty() || !channel.isActive()) {
            return;
        }
        channel.eventLoop().execute(() -> {
            if (closing || bound.overflowed()) {
                return;
            }
            boolean idle = backlog.isEmpty();
            pacing = true;
            for (Element e : stanzas) {
                backlog.add(new Queued(e, 0));
            }
            backlogSize = backlog.size();
            if (idle) {
                drain();
            }
        });
    }

    /**
     * Writes the backlog while less than a chunk waits for the client; once the last write of a
     * chunk reached the socket, the next. On the event loop.
     */
    private void drain() {
        if (closing || bound.overflowed() || !channel.isActive()) {
            backlog.clear();
            backlogSize = 0;
            backlogBytes = 0;
            pacing = false;
            return;
        }
        ChannelPromise last = null;
        long counted = 0;
        long chunk = Math.min(CHUNK, bound.max() / 2);
        while (!backlog.isEmpty() && OutputBound.pending(channel) < chunk) {
            Queued q = backlog.poll();
            counted += q.counted();
            last = channel.newPromise();
            pipeline.write(q.stanza(), last);
        }
        backlogBytes -= counted;
        backlogSize = backlog.size();
        pipeline.flush();
        if (backlog.isEmpty()) {
            if (last == null || last.isDone()) {
                pacing = false;
            } else {
                // The last chunk still on its way: the bound looks at the channel once it is out.
                last.addListener(f -> pacing = !backlog.isEmpty());
            }
            return;
        }
        if (last == null) {
            // Others' output filled the chunk before any of the backlog went: look again shortly.
            channel.eventLoop().schedule(this::drain, 5, TimeUnit.MILLISECONDS);
        } else {
            // Once the chunk reached the socket (a task, not a recursion when it already did).
            last.addListener(f -> channel.eventLoop().execute(this::drain));
        }
    }

    @Override
    public final void awaitRoom() {
        if (channel.eventLoop().inEventLoop()) {
            return;
        }
        long room = bound.max() / 4; // so that the next stanzas, even large, stay within the bound
        long sleep = 1;
        while (channel.isActive() && !bound.overflowed() && (queuedWrites.get() > QUEUED_SLACK || backlogSize > 0
                || OutputBound.pending(channel) > room)) {
            try {
                Thread.sleep(sleep); // a virtual thread: it waits without holding a carrier
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep = Math.min(sleep * 2, 20);
        }
    }

    private void writeBatched(Element stanza) {
        if (closing || bound.overflowed()) {
            return;
        }
        if (!backlog.isEmpty()) {
            // Behind a paced burst: in order, and counted by the bound while it waits.
            long size = stanza.toXml().length();
            backlog.add(new Queued(stanza, size));
            backlogSize = backlog.size();
            backlogBytes += size;
            return;
        }
        pipeline.write(stanza, channel.voidPromise());
        unflushed = true;
    }

    /**
     * After a write task: flushes at once when no other write of this connection is queued (a copy
     * of a fan-out, a lone stanza), else leaves one flush queued behind the burst's writes. Before,
     * every write queued a flush task: two tasks per copy, and in a fan-out each copy's flush waited
     * behind the encoding of every copy queued on the loop, so even the first recipients got the
     * message only once the loop had encoded the whole batch.
     */
    private void flushOrDefer() {
        if (!unflushed) {
            return;
        }
        if (queuedWrites.get() == 0) {
            unflushed = false;
            pipeline.flush();
        } else if (!flushPending) {
            // Queued behind the writes of this burst; a write that runs after it schedules the next one.
            flushPending = true;
            channel.eventLoop().execute(flush);
        }
    }

    private void flushBatch() {
        flushPending = false;
        if (unflushed) { // else the burst's last write flushed it already
            unflushed = false;
            pipeline.flush();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id + ", " + channel.remoteAddress() + "]";
    }
}
