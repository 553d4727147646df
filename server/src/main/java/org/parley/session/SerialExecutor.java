package org.parley.session;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one session's work in arrival order, one task at a time, on a shared executor (virtual
 * threads in the server). This keeps a session's stanzas ordered while the database calls of
 * features block only that session, never the network event loop.
 */
public final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Executor delegate;
    private final String sid;

    public SerialExecutor(Executor delegate) {
        this(delegate, null);
    }

    /** @param sid the session id its tasks log under ({@link SessionIds#MDC_KEY}), or null for none */
    public SerialExecutor(Executor delegate, String sid) {
        this.delegate = delegate;
        this.sid = sid;
    }

    @Override
    public void execute(Runnable task) {
        queue.add(task);
        if (pending.getAndIncrement() == 0) {
            try {
                delegate.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // The server is stopping: the session's remaining work goes with it.
                queue.clear();
                pending.set(0);
            }
        }
    }

    /** Tasks queued and not yet finished; the session pauses reading when this grows. */
    public int backlog() {
        return pending.get();
    }

    private void drain() {
        // Once per drain, not per task: a busy session's burst pays for it once.
        String outer = sid == null ? null : SessionIds.enter(sid);
        try {
            do {
                Runnable task = queue.poll();
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("session task failed", e);
                }
            } while (pending.decrementAndGet() > 0);
        } finally {
            if (sid != null) {
                SessionIds.exit(outer);
            }
        }
    }
}
