package org.parley.route;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;

/**
 * Matches IQ results and errors addressed to the server with the requests it sent. Ids are
 * predictable (a client sees its own), so an answer only counts when it comes from the entity
 * the request went to (RFC 6120 §8.1.2.1: the response's 'from' is the request's 'to').
 */
public final class IqTracker {

    /** A request in flight: who must answer it (null: anyone) and who waits for the answer. */
    private record Pending(Jid peer, CompletableFuture<Stanza> answer) {
    }

    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();
    private final ScheduledExecutorService scheduler;
    private final String prefix;

    public IqTracker(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        this.prefix = "s" + Long.toHexString(System.nanoTime() & 0xffffff) + "-";
    }

    /** A fresh id for an IQ the server sends. */
    public String nextId() {
        return prefix + counter.incrementAndGet();
    }

    /**
     * Registers an expected answer to the IQ with this id, from any sender. Prefer
     * {@link #expect(String, Jid, Duration)}: without a peer, another client that guesses the id
     * can answer in the addressee's place.
     */
    public CompletableFuture<Stanza> expect(String id, Duration timeout) {
        return expect(id, null, timeout);
    }

    /** Registers an expected answer to the IQ with this id, sent to (and so answered by) {@code peer}. */
    public CompletableFuture<Stanza> expect(String id, Jid peer, Duration timeout) {
        CompletableFuture<Stanza> f = new CompletableFuture<>();
        Pending p = new Pending(peer, f);
        pending.put(id, p);
        ScheduledFuture<?> timer = scheduler.schedule(() -> {
            if (pending.remove(id, p)) {
                f.completeExceptionally(new TimeoutException("no answer to IQ " + id));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        // An answered request should not keep its timer (and the future) alive until the timeout.
        f.whenComplete((answer, failure) -> timer.cancel(false));
        return f;
    }

    /** Completes the matching request; false when nobody waited for this answer from its sender. */
    public boolean complete(Stanza answer) {
        String id = answer.id();
        Pending p = id == null ? null : pending.get(id);
        if (p == null || (p.peer() != null && !p.peer().equals(answer.from())) || !pending.remove(id, p)) {
            return false;
        }
        p.answer().complete(answer);
        return true;
    }
}
