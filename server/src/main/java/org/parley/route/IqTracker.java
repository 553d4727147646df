package org.parley.route;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.xmpp.Stanza;

/** Matches IQ results and errors addressed to the server with the requests it sent. */
public final class IqTracker {
    private final ConcurrentHashMap<String, CompletableFuture<Stanza>> pending = new ConcurrentHashMap<>();
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

    /** Registers an expected answer to the IQ with this id. */
    public CompletableFuture<Stanza> expect(String id, Duration timeout) {
        CompletableFuture<Stanza> f = new CompletableFuture<>();
        pending.put(id, f);
        scheduler.schedule(() -> {
            if (pending.remove(id, f)) {
                f.completeExceptionally(new TimeoutException("no answer to IQ " + id));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return f;
    }

    /** Completes the matching request; false when nobody waited for this answer. */
    public boolean complete(Stanza answer) {
        String id = answer.id();
        CompletableFuture<Stanza> f = id == null ? null : pending.remove(id);
        if (f == null) {
            return false;
        }
        f.complete(answer);
        return true;
    }
}
