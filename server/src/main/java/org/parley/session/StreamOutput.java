package org.parley.session;

import io.netty.channel.Channel;
import org.parley.xml.Element;

/**
 * What one client session writes, and over which connection. Stanzas are batched into one flush
 * per burst; a {@link StreamObserver} sees each stanza in wire order, also while the session is
 * detached and nothing can be written; and a resumed session switches to a new connection here,
 * under the same lock, so nothing written later can overtake what the switch sends first.
 */
final class StreamOutput {
    private final Object lock = new Object();
    private final Runnable flush;
    private volatile Channel channel;
    private volatile boolean flushPending;
    private volatile StreamObserver observer;
    private volatile boolean detached;

    StreamOutput(Channel channel) {
        this.channel = channel;
        this.flush = () -> {
            flushPending = false;
            this.channel.flush();
        };
    }

    Channel channel() {
        return channel;
    }

    StreamObserver observer() {
        return observer;
    }

    boolean detached() {
        return detached;
    }

    void detached(boolean d) {
        detached = d;
    }

    /** A stanza for the client. */
    void deliver(Element e) {
        StreamObserver o = observer;
        if (o != null) {
            synchronized (lock) {
                Element after = o.sent(e); // first: an answer from the client must find it counted
                Channel ch = channel;
                if (!detached && ch.isActive()) {
                    ch.eventLoop().execute(() -> {
                        writeBatched(ch, e);
                        if (after != null) {
                            writeBatched(ch, after);
                        }
                    });
                }
            }
            return;
        }
        Channel ch = channel;
        if (!ch.isActive()) {
            return;
        }
        if (ch.eventLoop().inEventLoop()) {
            writeBatched(ch, e);
        } else {
            ch.eventLoop().execute(() -> writeBatched(ch, e));
        }
    }

    /** A nonza, or a stanza the observer already saw; flushed at once. */
    void send(Element e) {
        synchronized (lock) {
            Channel ch = channel;
            if (!detached && ch.isActive()) {
                ch.eventLoop().execute(() -> {
                    ch.write(e, ch.voidPromise());
                    ch.flush();
                });
            }
        }
    }

    void observe(StreamObserver o, Element announce) {
        synchronized (lock) {
            if (announce != null) {
                send(announce);
            }
            observer = o;
        }
    }

    /**
     * Continues on {@code next}: attached again, and {@code first} runs before any later write is
     * queued. Returns the connection left behind.
     */
    Channel switchTo(Channel next, Runnable first) {
        synchronized (lock) {
            Channel old = channel;
            channel = next;
            detached = false;
            first.run();
            return old;
        }
    }

    /**
     * One flush (one syscall) per burst instead of one per stanza. Runs on the event loop only:
     * the flush task is queued behind the writes of the burst, and a write that runs after it
     * schedules the next one.
     */
    private void writeBatched(Channel ch, Element e) {
        ch.write(e, ch.voidPromise());
        if (!flushPending) {
            flushPending = true;
            ch.eventLoop().execute(flush);
        }
    }
}
