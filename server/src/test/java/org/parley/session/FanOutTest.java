package org.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A fan-out wakes each worker it deferred writes on at the first, every so many, and at its end. */
class FanOutTest {

    /** A worker that only counts the wake-ups it is given. */
    private static final class Worker implements Executor {
        final AtomicInteger wakes = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            wakes.incrementAndGet();
            task.run();
        }
    }

    @Test
    void aWorkerIsWokenAtItsFirstWriteThenOncePerBatchAndAtTheEnd() {
        Worker a = new Worker();
        Worker b = new Worker();
        try (FanOut fanOut = FanOut.open()) {
            assertThat(FanOut.current()).isSameAs(fanOut);
            fanOut.deferred(a, () -> 0);
            assertThat(a.wakes).as("the first write starts the worker").hasValue(1);
            for (int i = 1; i < 3 * FanOut.WAKE_EVERY + 5; i++) {
                fanOut.deferred(a, () -> 0);
            }
            assertThat(a.wakes).as("then once per batch").hasValue(4);
            fanOut.deferred(b, () -> 0);
            assertThat(b.wakes).hasValue(1);
        }
        assertThat(a.wakes).as("what was left is started when the fan-out ends").hasValue(5);
        assertThat(b.wakes).as("nothing was left for b").hasValue(1);
        assertThat(FanOut.current()).isNull();
    }

    @Test
    void aNestedFanOutJoinsTheOuterOneWhichAloneEndsIt() {
        Worker a = new Worker();
        try (FanOut outer = FanOut.open()) {
            try (FanOut inner = FanOut.open()) {
                assertThat(inner).isSameAs(outer);
                inner.deferred(a, () -> 0);
                inner.deferred(a, () -> 0);
            }
            assertThat(FanOut.current()).as("still open").isSameAs(outer);
            assertThat(a.wakes).hasValue(1);
        }
        assertThat(a.wakes).hasValue(2);
        assertThat(FanOut.current()).isNull();
    }

    @Test
    void aFanOutIsConfinedToItsThread() throws Exception {
        try (FanOut fanOut = FanOut.open()) {
            FanOut[] seen = new FanOut[1];
            Thread t = Thread.ofVirtual().start(() -> seen[0] = FanOut.current());
            t.join();
            assertThat(seen[0]).isNull();
            assertThat(FanOut.current()).isSameAs(fanOut);
        }
    }

    /** A worker whose queue the test works off by hand. */
    private static final class QueuedWorker implements Executor {
        final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();

        @Override
        public void execute(Runnable task) {
            queue.add(task);
        }
    }

    @Test
    void onAVirtualThreadAFanOutFarAheadOfItsWorkerWaitsUntilTheWorkerReachedItsOldestBatch() throws Exception {
        QueuedWorker worker = new QueuedWorker();
        CountDownLatch reached = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        Thread fan = Thread.ofVirtual().start(() -> {
            try (FanOut fanOut = FanOut.open()) {
                for (int i = 0; i < FanOut.WAKE_EVERY; i++) {
                    fanOut.deferred(worker, () -> FanOut.MAX_BACKLOG + 1);
                }
                reached.countDown();
                fanOut.deferred(worker, () -> FanOut.MAX_BACKLOG + 1); // a batch done: a wake-up, a look at the backlog
                done.set(true);
            }
        });
        reached.await();
        Thread.sleep(30);
        assertThat(done).as("the worker is far behind and has not reached the first batch").isFalse();
        assertThat(worker.queue).as("two markers: the first write's and the batch's").hasSize(2);
        worker.queue.poll().run(); // the worker gets through the first batch
        fan.join(5000);
        assertThat(done).as("on it goes, the worker still busy with the next batch").isTrue();

        // A platform thread (an event loop, the cluster bus) never waits.
        long t0 = System.nanoTime();
        try (FanOut fanOut = FanOut.open()) {
            for (int i = 0; i <= 4 * FanOut.WAKE_EVERY; i++) {
                fanOut.deferred(worker, () -> 100 * FanOut.MAX_BACKLOG);
            }
        }
        assertThat(System.nanoTime() - t0).as("no wait of half a second").isLessThan(400_000_000L);
    }

    @Test
    void aStoppingWorkerIsNoError() {
        Executor stopped = task -> {
            throw new RejectedExecutionException("stopping");
        };
        try (FanOut fanOut = FanOut.open()) {
            fanOut.deferred(stopped, () -> 0);
            fanOut.deferred(stopped, () -> 0);
        }
        assertThat(FanOut.current()).isNull();
    }
}
