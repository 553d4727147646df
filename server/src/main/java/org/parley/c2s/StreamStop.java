package org.parley.c2s;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.parley.session.Session;
import org.parley.xmpp.StreamError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client streams' part of a server's stop: every stream ends, and the stop waits until every
 * session's end is done (unbound, its listeners run: the contacts told it left, what it had not
 * delivered stored offline), for the server to close what those endings use only then.
 */
public final class StreamStop {
    private static final Logger log = LoggerFactory.getLogger(StreamStop.class);
    /** How long the clients get to answer the server's closing tag before their connections drop. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    /** The open streams: a session leaves the set once its end is done. */
    private final Set<Session> streams;

    public StreamStop(Set<Session> streams) {
        this.streams = streams;
    }

    /**
     * Ends every stream with system-shutdown (RFC 6120 §4.9.3.22), or, when {@code handOver} is
     * given (a cluster node), lets each session hand itself over for its client to resume it on
     * another node (XEP-0198) first. Waits until {@code deadline} (nanoTime) at most; returns how
     * many sessions had not ended by then.
     */
    public int endAll(BiConsumer<Session, Instant> handOver, long deadline) {
        StreamError shutdown = StreamError.of(StreamError.Condition.SYSTEM_SHUTDOWN);
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (Session s : streams) {
            if (handOver != null && s instanceof C2sSession c) {
                stopping.add(c.stop(shutdown, handOver));
            } else {
                s.close(shutdown);
            }
        }
        try {
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("not every stream was handed over or ended within c2s.stopTimeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A client that answers the closing tag ends its stream at once, having read the error.
        // The others would hold their connections half-open for c2s.closeTimeout: after a moment
        // they are dropped, and their sessions end on their own threads.
        awaitGone(Math.min(deadline, System.nanoTime() + CLOSE_GRACE.toNanos()));
        for (Session s : streams) {
            if (s instanceof C2sSession c) {
                c.abort();
            }
        }
        awaitGone(deadline);
        return streams.size();
    }

    /** Waits until every stream has ended or {@code deadline} (nanoTime) has passed. */
    private void awaitGone(long deadline) {
        while (!streams.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
