package org.parley.store.sql;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.parley.store.StoreException;

/**
 * Platform threads that make a native driver's calls (SQLite's, through JNI) for virtual threads.
 *
 * <p>Why: a virtual thread inside a native call cannot unmount, so it holds its carrier for as
 * long as the call lasts — the fsync of a commit, SQLite's busy handler sleeping while another
 * connection holds the lock — and the scheduler has one carrier per CPU: on a server pinned to
 * one core, every other session waited behind each such call (the slow-reader flood, whose
 * messages went to offline storage one commit each, raised the other users' p99 from 5 ms to
 * 2.3 s at 18% CPU; BENCHMARKS.md). Here the call blocks a platform thread while the virtual
 * thread that asked parks. A pure-Java driver (PostgreSQL's) parks by itself and is called
 * directly.
 *
 * <p>Writes go to one thread: SQLite takes one writer at a time anyway, and sessions' writes then
 * commit in the order they asked. Reads go to as many threads as the connection pool holds. Each
 * side runs at most as many calls as it has threads and holds no queue of its own: a caller past
 * that waits for a permit, parked, in arrival order. Offered twice what the database can take,
 * the wait is sessions parked, each holding one call, and their input stops being read past
 * {@code c2s.maxQueuedStanzas}: senders are slowed through TCP, nothing grows. A caller waits for
 * its call's outcome even when interrupted, since the call goes on (a commit happens or not
 * whatever the caller does). Platform threads (the archive writer, the command line, these
 * threads themselves when a store's work calls the store again) call the driver directly: they
 * hold no carrier.
 */
final class StoreThreads implements AutoCloseable {
    /** Idle threads end after this long, so an idle server (or a test's) keeps none. */
    private static final long KEEP_ALIVE_SECONDS = 30;

    private final Side reads;
    private final Side writes;

    /**
     * @param name        what the threads are named after ({@code parley-sqlite}: {@code parley-sqlite-read-0}, ...)
     * @param readThreads threads for reads: the connection pool's size
     */
    StoreThreads(String name, int readThreads) {
        this.reads = new Side(name + "-read", readThreads);
        this.writes = new Side(name + "-write", 1);
    }

    /** Runs {@code call} on a platform thread when the caller is a virtual thread, else right here. */
    <T> T run(boolean write, Supplier<T> call) {
        if (!Thread.currentThread().isVirtual()) {
            return call.get();
        }
        return (write ? writes : reads).run(call);
    }

    @Override
    public void close() {
        reads.close();
        writes.close();
    }

    private static final class Side {
        private final Semaphore permits;
        private final ThreadPoolExecutor executor;

        Side(String name, int threads) {
            this.permits = new Semaphore(threads, true);
            this.executor = new ThreadPoolExecutor(threads, threads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), factory(name));
            executor.allowCoreThreadTimeOut(true);
        }

        private static ThreadFactory factory(String name) {
            return Thread.ofPlatform().name(name + "-", 0).daemon().factory();
        }

        <T> T run(Supplier<T> call) {
            permits.acquireUninterruptibly();
            try {
                FutureTask<T> task = new FutureTask<>(call::get);
                try {
                    executor.execute(task);
                } catch (RejectedExecutionException e) {
                    throw new StoreException("the database is closed", e);
                }
                return outcome(task);
            } finally {
                permits.release();
            }
        }

        private static <T> T outcome(FutureTask<T> task) {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return task.get();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause();
                        if (cause instanceof RuntimeException r) {
                            throw r;
                        }
                        if (cause instanceof Error err) {
                            throw err;
                        }
                        throw new StoreException("store call failed: " + cause, cause);
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void close() {
            executor.shutdown();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
