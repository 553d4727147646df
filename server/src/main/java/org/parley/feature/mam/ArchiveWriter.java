package org.parley.feature.mam;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * <p>A failing batch (database down) is retried with back-off and the rows kept. The queue is
 * bounded by {@code maxPending} rows and by {@code maxPendingBytes} (what the rows, kept as
 * {@link QueuedRow}s, hold on the heap, so a flood of large messages cannot hold thousands of
 * them there): beyond either a submitter waits, so a flood or a dead database slows the senders
 * (their sessions stop reading, see {@code c2s.maxQueuedStanzas}) rather than filling the heap or
 * dropping rows. The bound is on the rows waiting for a transaction; the transaction being
 * written holds at most as much again (it took a queue within the bound). Counting its rows
 * too held every sender for the whole of each commit and index slice once a delay's worth of
 * rows neared the bound, which at 11,000 messages/s it did (BENCHMARKS.md, "The archive queue's
 * bound and the commit").
 * Submitters are the routing work of sessions, which runs on virtual threads; any other thread (a
 * Netty event loop, the cluster bus) is never made to wait, and its rows go over the bound instead.
 *
 * <p>{@link #written} is the durability barrier: an acknowledgement that must survive a crash
 * waits for it. It does not hurry the writer, so batching stays as it is; {@link #writtenSoon} does,
 * for an acknowledgement a sender waits on. {@link #close} writes
 * everything queued before it returns.
 */
final class ArchiveWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ArchiveWriter.class);

    /**
     * Deferred index work is done in slices of at most this many rows, one transaction at a time
     * (a stage, a slice of it moved, a slice of text indexed) once this many are waiting, in the
     * time the writer waits for a batch to grow and after each commit; or when the writer has
     * been idle a moment, or at the latest after a while under load. A larger slice writes fewer
     * pages per row but holds the writer longer while rows queue behind it: at 20,000 one step
     * took up to 1.3 s at 10,000 messages/s, long enough to fill the queue and hold every sender
     * (BENCHMARKS.md, "The owners' indexes, deferred"). The conversation table gets the page saving of
     * larger slices without the longer hold: the store sorts several slices' entries into a stage
     * and moves one key range per step ({@code DeferredIndexes.STAGE_SLICES}).
     * A backlog (after a restart, or an upgrade) is caught up a step per turn, so it never holds
     * the rows behind it for long.
     */
    static final int INDEX_SLICE = 10_000;
    /**
     * Rows written but not yet in the deferred indexes past which the writer does nothing else:
     * about 12 MB of {@code RecentRows}, and five stages' worth, so only a writer that cannot keep
     * up (an overload) ever reaches it.
     */
    static final long MAX_DEFERRED_ROWS = 500_000;
    /** ... or when the writer has been idle this long, or at the latest after this long under load. */
    private static final long IDLE_INDEX_NANOS = 1_000_000_000L;
    private static final long BUSY_INDEX_NANOS = 10_000_000_000L;
    /** At stop, a failing database is retried this long after the last commit before rows are given up. */
    private static final long STOP_PATIENCE_NANOS = 30_000_000_000L;

    private final ArchiveStore store;
    private final ArchiveIds ids;
    private final int batch;
    private final long delayNanos;
    /** Rows submitted when a flush last asked for an immediate commit. */
    private long flushWanted;
    /** When the oldest row in the queue was submitted. */
    private long oldestAt;
    private final int maxPending;
    private final long maxPendingBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition progress = lock.newCondition();
    private final Thread thread;
    private List<QueuedRow> queue = new ArrayList<>();
    /** Rows submitted and rows committed since start; flush waits for committed to catch up. */
    private long submitted;
    private long committed;
    /** Estimated bytes of the rows in {@link #queue}, not yet taken by a transaction. */
    private long queuedBytes;
    private boolean closed;
    /** Set by the writer thread when it has written everything after close, or given up. */
    private boolean stopped;
    /** Barriers of {@link #written}, in submission order: each completes once its rows are committed. */
    private final ArrayDeque<Barrier> barriers = new ArrayDeque<>();
    /** The kind of the last failed commit while the failure lasts, for the answer to a query that waits. */
    private StoreException.Kind failing;
    private long lastProgress = System.nanoTime();
    /** Rows written since deferred index work was last caught up (writer thread only). */
    private long sinceIndexed = 1; // a backlog left by the last run is caught up once idle
    private long indexedAt = System.nanoTime();
    /** The last deferred step failed: the next is taken after a commit, not in the wait (writer thread only). */
    private boolean indexFailing;
    /** The longer of the last two deferred steps, and the last one (writer thread only). */
    private long stepNanos;
    private long lastStepNanos;

    /**
     * @param batch most rows per transaction
     * @param delay how long a row may wait for more to share its transaction (unless a query
     *     flushes first): per-user index pages are dirtied once per transaction, so larger
     *     transactions cost much less per row
     * @param maxPending rows waiting for a transaction past which a submitter waits
     * @param maxPendingBytes the same in bytes on the heap ({@link QueuedRow#bytes})
     */
    ArchiveWriter(ArchiveStore store, Clock clock, int node, int batch, Duration delay, int maxPending,
                  long maxPendingBytes, String name) {
        this.delayNanos = delay.toNanos();
        this.store = store;
        this.ids = new ArchiveIds(clock, node);
        this.batch = batch;
        this.maxPending = maxPending;
        this.maxPendingBytes = maxPendingBytes;
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
            if (full() && Thread.currentThread().isVirtual()) {
                while (full() && !closed) {
                    progress.awaitUninterruptibly();
                }
            }
            if (closed) {
                // Stopping: the row could no longer be written, so the stanza must not be taken.
                throw new StoreException("the archive is stopping");
            }
            long id = ids.next();
            QueuedRow r = QueuedRow.of(row.apply(id));
            queue.add(r);
            submitted++;
            queuedBytes += r.bytes();
            if (queue.size() == 1) {
                oldestAt = System.nanoTime();
                work.signal();
            } else if (queue.size() == batch || full()) {
                work.signal();
            }
            return id;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a submitter must wait for the writer to take the queue (under the lock). */
    private boolean full() {
        return queue.size() >= maxPending || queuedBytes >= maxPendingBytes;
    }

    /** An id above every id given before this call and below every id given after it (one id is used up). */
    long mark() {
        lock.lock();
        try {
            return ids.next();
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
                if (left <= 0 || stopped) {
                    throw new StoreException(failing == null ? StoreException.Kind.FAILURE : failing,
                            "archive writer is " + (target - committed) + " rows behind", null);
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

    /**
     * Completes once every row submitted before this call is committed; completes exceptionally
     * if the writer stops without writing them. Does not hurry the writer.
     */
    CompletableFuture<Void> written() {
        lock.lock();
        try {
            if (committed >= submitted) {
                return CompletableFuture.completedFuture(null);
            }
            if (stopped) {
                return CompletableFuture.failedFuture(new StoreException("the archive writer has stopped"));
            }
            Barrier last = barriers.peekLast();
            if (last != null && last.target == submitted) {
                return last.done;
            }
            Barrier b = new Barrier(submitted, new CompletableFuture<>());
            barriers.add(b);
            return b.done;
        } finally {
            lock.unlock();
        }
    }

    /**
     * As {@link #written}, and asks for that commit now instead of after the batching delay, for
     * an acknowledgement a sender waits on (a clustered room's message): rows that arrive while
     * the commit runs still share the next one, so batches grow with the load as before.
     */
    CompletableFuture<Void> writtenSoon() {
        lock.lock();
        try {
            if (committed < submitted && flushWanted < submitted) {
                flushWanted = submitted;
                work.signal();
            }
            return written();
        } finally {
            lock.unlock();
        }
    }

    private record Barrier(long target, CompletableFuture<Void> done) {
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
        List<QueuedRow> taken = new ArrayList<>();
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
                    stop(0); // closed and drained
                    return;
                }
                // Let a small queue grow into a larger transaction, unless someone waits for it: a
                // flush, or submitters held at the bound (full in bytes long before a batch of rows).
                // Deferred index work goes in that wait, a transaction at a time, when the wait is
                // likely to outlast it (a step that overran the commit kept senders at the bound);
                // else one step follows the commit, when the queue is fresh.
                while (taken.isEmpty() && queue.size() < batch && !full() && !closed && flushWanted <= committed) {
                    long left = delayNanos - (System.nanoTime() - oldestAt);
                    if (left <= 0) {
                        break;
                    }
                    if (sinceIndexed >= INDEX_SLICE && !indexFailing && left > stepNanos) {
                        lock.unlock();
                        try {
                            indexSlice();
                        } finally {
                            lock.lock();
                        }
                        continue;
                    }
                    awaitWork(left);
                }
                // Swap the whole queue out: submitters keep appending to a fresh list meanwhile.
                if (taken.isEmpty()) {
                    List<QueuedRow> t = queue;
                    queue = new ArrayList<>(Math.min(Math.max(t.size(), 16), batch));
                    queuedBytes = 0;
                    taken = t;
                    progress.signalAll(); // submitters held at the bound may queue behind this transaction
                }
            } finally {
                lock.unlock();
            }
            int done = 0;
            try {
                while (done < taken.size()) {
                    int end = Math.min(taken.size(), done + batch);
                    List<QueuedRow> part = taken.subList(done, end);
                    store.append(QueuedRow.records(part));
                    advance(part);
                    done = end;
                }
                backoff = 0;
                failed(null);
                sinceIndexed += done;
                if (sinceIndexed >= INDEX_SLICE || System.nanoTime() - indexedAt > BUSY_INDEX_NANOS) {
                    indexSlice();
                }
                // Past this the writer catches up before it takes more rows, and senders wait: the
                // rows not yet indexed are kept in memory too (SQLite's RecentRows).
                while (store.deferredRows() > MAX_DEFERRED_ROWS && indexSlice()) {
                    // the next step
                }
            } catch (RuntimeException e) {
                backoff = Math.min(Math.max(backoff * 2, 50), 5000);
                failed(e instanceof StoreException x ? x.kind() : StoreException.Kind.FAILURE);
                log.warn("archiving {} messages failed, retrying in {} ms: {}", taken.size() - done, backoff,
                        e.getMessage());
            }
            taken = done == taken.size() ? new ArrayList<>() : new ArrayList<>(taken.subList(done, taken.size()));
            if (backoff > 0) {
                if (givingUp()) {
                    int lost = stop(taken.size());
                    log.error("archive writer stopped with {} messages unwritten: the database failed for {} s",
                            lost, STOP_PATIENCE_NANOS / 1_000_000_000L);
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

    /** Idle: catches up all deferred index work, a slice at a time while no row comes. */
    private void indexPending() {
        while (indexSlice() && queueEmpty()) {
            // the next slice
        }
    }

    /** One slice of deferred index work; whether more is waiting. */
    private boolean indexSlice() {
        try {
            long start = System.nanoTime();
            int done = store.indexPending(INDEX_SLICE);
            long took = System.nanoTime() - start;
            stepNanos = Math.max(took, lastStepNanos);
            lastStepNanos = took;
            indexFailing = false;
            if (done < INDEX_SLICE) {
                sinceIndexed = 0;
                indexedAt = System.nanoTime();
                return false;
            }
            sinceIndexed = Math.max(INDEX_SLICE, sinceIndexed - done);
            return true;
        } catch (RuntimeException e) {
            log.warn("archive index catch-up failed: {}", e.getMessage());
            indexFailing = true;
            indexedAt = System.nanoTime();
            return false;
        }
    }

    private boolean queueEmpty() {
        lock.lock();
        try {
            return queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private void advance(List<QueuedRow> written) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        lock.lock();
        try {
            committed += written.size();
            lastProgress = System.nanoTime();
            while (!barriers.isEmpty() && barriers.peekFirst().target <= committed) {
                done.add(barriers.pollFirst().done);
            }
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        // Outside the lock: what waits on a barrier (an acknowledgement) runs here.
        done.forEach(f -> f.complete(null));
    }

    private void failed(StoreException.Kind kind) {
        lock.lock();
        try {
            failing = kind;
        } finally {
            lock.unlock();
        }
    }

    /** Closed, and the database has not taken a commit for a long while. */
    private boolean givingUp() {
        lock.lock();
        try {
            return closed && System.nanoTime() - lastProgress > STOP_PATIENCE_NANOS;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks the writer stopped with {@code unwritten} rows taken but not written, and fails the
     * barriers that wait for them; returns how many rows are lost in all.
     */
    private int stop(int unwritten) {
        List<CompletableFuture<Void>> failed;
        int lost;
        lock.lock();
        try {
            stopped = true;
            lost = unwritten + queue.size();
            failed = barriers.stream().map(Barrier::done).toList();
            barriers.clear();
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        failed.forEach(f -> f.completeExceptionally(new StoreException("the archive writer stopped")));
        return lost;
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes everything queued, then stops the thread. Returns once all is written, or once the
     * database has failed every commit for {@value #STOP_PATIENCE_NANOS} ns (then the rows are
     * logged as lost), so the store may be closed after it.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            lastProgress = System.nanoTime();
            work.signalAll();
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
