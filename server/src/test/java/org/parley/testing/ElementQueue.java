package org.parley.testing;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.parley.xml.Element;

/**
 * What a hand-driven client received, element by element, until the server ended the stream: the
 * shared receiving side of {@link WebSocketClient} and {@link BoshClient}. Filled from the
 * transport's threads, read by the test's.
 */
final class ElementQueue {
    private static final Object ENDED = new Object();

    private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private final Duration wait;
    private boolean ended;

    ElementQueue(Duration wait) {
        this.wait = wait;
    }

    void add(Element e) {
        items.add(e);
    }

    /** The server ended the stream (or the connection is gone): nothing follows. */
    void end() {
        items.add(ENDED);
    }

    /** The next element, or null once the stream ended; fails when nothing comes within the wait. */
    Element next() {
        if (ended) {
            return null;
        }
        Object item = poll(wait);
        if (item == null) {
            throw new AssertionError("nothing from the server within " + wait.toMillis() + " ms");
        }
        ended = item == ENDED;
        return ended ? null : (Element) item;
    }

    /** True when nothing but the stream's end arrives within {@code quiet}. */
    boolean quietFor(Duration quiet) {
        if (ended) {
            return true;
        }
        Object item = poll(quiet);
        if (item == null || item == ENDED) {
            ended = item == ENDED;
            return true;
        }
        throw new AssertionError("expected nothing, got " + ((Element) item).toXml());
    }

    private Object poll(Duration d) {
        try {
            return items.poll(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
