package org.parley.feature.mam;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;
import org.parley.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the archive: routing threads hand rows over in O(1) and go on; one thread
 * writes whatever has queued up meanwhile, up to {@code batch} rows per transaction. Under load
 * batches grow by themselves (everything that arrived during one commit goes in the next), so
 * the number of transactions stays near the disk's commit rate while the messages per second
 * grow.
 *
 * <p>Ids are taken under the same lock that appends to the queue, so queue order is id order: when
 * {@link #flush} returns, every id this node handed out before the call is committed. That is the
 * guarantee MAM queries rely on (a client paging after its last id cannot skip a smaller id still
 * in the queue).
 *
 * <p>A failing batch (database down) is retried with back-off and the rows kept; the queue is
 * bounded by {@code maxPending}, beyond which submitters wait, so a dead database slows senders
 * rather than filling the heap.
 */
final class ArchiveWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ArchiveWriter.class);

    /** Deferred index work is done in batches of about this many rows, ... */
    private static final long INDEX_EVERY = 20_000;
    /** ... or when the writer has been idle this long, or at the latest after this long under load. */
    private static final long IDLE_INDEX_NANOS = 1_000_000_000L;
    private static final long BUSY_INDEX_NANOS = 10_000_000_000L;

    private final ArchiveStore store;
    private final ArchiveIds ids;
    private final int batch;
    private final long delayNanos;
    /** Rows submitted when a flush last asked for an immediate commit. */
    private long flushWanted;
    /** When the oldest row in the queue was submitted. */
    private long oldestAt;
    private final int maxPending;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition progress = lock.newCondition();
    private final Thread thread;
    private List<ArchiveRecord> queue = new ArrayList<>();
    /** Rows submitted and rows committed since start; flush waits for committed to catch up. */
    private long submitted;
    private long committed;
    private boolean closed;
    /** Rows written since deferred index work was last caught up (writer thread only). */
    private long sinceIndexed = 1; // a backlog left by the last run is caught up once idle
    private long indexedAt = System.nanoTime();

    /**
     * @param batch most rows per transaction
     * @param delay how long a row may wait for more to share its transaction (unless a query
     *     flushes first): per-user index pages are dirtied once per transaction, so larger
     *     transactions cost much less per row
     */
    ArchiveWriter(ArchiveStore store, Clock clock, int node, int batch, Duration delay, int maxPending, String name) {
        this.delayNanos = delay.toNanos();
        this.store = store;
        this.ids = new ArchiveIds(clock, node);
        this.batch = batch;
        this.maxPending = maxPending;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /**
     * Takes the next id, builds the row with it and queues it; never touches the database.
     *
     * @return the id
     */
    long submit(LongFunction<ArchiveRecord> row) {
        lock.lock();
        try {
            while (submitted - committed >= maxPending && !closed) {
                progress.awaitUninterruptibly();
            }
            long id = ids.next();
            queue.add(row.apply(id));
            submitted++;
            if (queue.size() == 1) {
                oldestAt = System.nanoTime();
                work.signal();
            } else if (queue.size() == batch) {
                work.signal();
            }
            return id;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every row submitted before this call is committed.
     *
     * @throws StoreException when that takes longer than {@code timeout} (database trouble)
     */
    void flush(Duration timeout) {
        lock.lock();
        try {
            long target = submitted;
            if (committed < target) {
                flushWanted = target;
                work.signal();
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (committed < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    throw new StoreException("archive writer is " + (target - committed) + " rows behind");
                }
                progress.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the archive writer", e);
        } finally {
            lock.unlock();
        }
    }

    /** Rows queued, not yet committed. */
    int pending() {
        lock.lock();
        try {
            return (int) (submitted - committed);
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        List<ArchiveRecord> taken = new ArrayList<>();
        long backoff = 0;
        while (true) {
            lock.lock();
            try {
                while (queue.isEmpty() && taken.isEmpty() && !closed) {
                    if (sinceIndexed == 0) {
                        work.awaitUninterruptibly();
                    } else if (awaitWork(IDLE_INDEX_NANOS) <= 0 && queue.isEmpty()) {
                        break; // idle a moment: catch up the deferred index work now
                    }
                }
                if (queue.isEmpty() && taken.isEmpty() && !closed) {
                    lock.unlock();
                    try {
                        indexPending();
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                if (queue.isEmpty() && taken.isEmpty()) {
                    return; // closed and drained
                }
                // Let a small queue grow into a larger transaction, unless someone waits for it.
                while (taken.isEmpty() && queue.size() < batch && !closed && flushWanted <= committed) {
                    long left = delayNanos - (System.nanoTime() - oldestAt);
                    if (left <= 0) {
                        break;
                    }
                    awaitWork(left);
                }
                // Swap the whole queue out: submitters keep appending to a fresh list meanwhile.
                if (taken.isEmpty()) {
                    List<ArchiveRecord> t = queue;
                    queue = new ArrayList<>(Math.min(Math.max(t.size(), 16), batch));
                    taken = t;
                }
            } finally {
                lock.unlock();
            }
            int done = 0;
            try {
                while (done < taken.size()) {
                    int end = Math.min(taken.size(), done + batch);
                    store.append(taken.subList(done, end));
                    advance(end - done);
                    done = end;
                }
                backoff = 0;
                sinceIndexed += done;
                if (sinceIndexed >= INDEX_EVERY || System.nanoTime() - indexedAt > BUSY_INDEX_NANOS) {
                    indexPending();
                }
            } catch (RuntimeException e) {
                backoff = Math.min(Math.max(backoff * 2, 50), 5000);
                log.warn("archiving {} messages failed, retrying in {} ms: {}", taken.size() - done, backoff,
                        e.getMessage());
            }
            taken = done == taken.size() ? new ArrayList<>() : new ArrayList<>(taken.subList(done, taken.size()));
            if (backoff > 0) {
                if (closed && backoff >= 5000) {
                    log.error("archive writer stopped with {} messages unwritten", taken.size());
                    return;
                }
                sleep(backoff);
            }
        }
    }

    private long awaitWork(long nanos) {
        try {
            return work.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private void indexPending() {
        try {
            store.indexPending();
            sinceIndexed = 0;
            indexedAt = System.nanoTime();
        } catch (RuntimeException e) {
            log.warn("archive index catch-up failed: {}", e.getMessage());
            indexedAt = System.nanoTime();
        }
    }

    private void advance(int written) {
        lock.lock();
        try {
            committed += written;
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued, then stops the thread (waits up to 10 s). */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            work.signalAll();
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
