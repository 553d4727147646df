package org.parley.feature.mam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.parley.store.StoreException;

/**
 * The writer never drops a row: stop writes what is queued, a full queue makes its (virtual
 * thread) submitters wait, and the durability barrier completes only once the rows are committed.
 */
class ArchiveWriterTest {

    /** A store whose commits can be held back, failed, and counted. */
    private static final class GatedStore implements ArchiveStore {
        final List<ArchiveRecord> rows = new ArrayList<>();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile StoreException failure;
        final AtomicInteger commits = new AtomicInteger();
        /** Rows of the last transaction to reach the gate. */
        volatile int held;

        @Override
        public void append(List<ArchiveRecord> batch) {
            held = batch.size();
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (failure != null) {
                throw failure;
            }
            synchronized (rows) {
                rows.addAll(batch);
            }
            commits.incrementAndGet();
        }

        int size() {
            synchronized (rows) {
                return rows.size();
            }
        }

        @Override
        public List<ArchiveRecord> query(ArchiveQuery query) {
            return List.of();
        }

        @Override
        public long count(ArchiveQuery query, long atMost) {
            return 0;
        }

        @Override
        public boolean contains(String owner, long id) {
            return false;
        }

        @Override
        public Optional<ArchivePrefs> prefs(String owner) {
            return Optional.empty();
        }

        @Override
        public void setPrefs(String owner, ArchivePrefs prefs) {
        }

        @Override
        public int deleteBefore(long id, int maxRows) {
            return 0;
        }

        @Override
        public boolean replace(String owner, long id, String stanza) {
            return false;
        }

        @Override
        public int deleteOwner(String owner, long lastId) {
            return 0;
        }
    }

    private static ArchiveWriter writer(ArchiveStore store, Duration delay, int maxPending) {
        ArchiveWriter w = new ArchiveWriter(store, Clock.systemUTC(), 0, 100, delay, maxPending, Long.MAX_VALUE, "test-archive");
        w.start();
        return w;
    }

    /** A writer whose queue takes five rows of {@link #submitLarge}: 40,000 bytes, far below its 100,000-row bound. */
    private static ArchiveWriter boundInBytes(ArchiveStore store, Duration delay) {
        ArchiveWriter w = new ArchiveWriter(store, Clock.systemUTC(), 0, 100, delay, 100_000, 40_000, "test-archive");
        w.start();
        return w;
    }

    private static final String LARGE_BODY = "x".repeat(4_000);

    /** A row of about 8 KB ({@link QueuedRow#bytes}): a 4,000-character body, and again in its stanza. */
    private static void submitLarge(ArchiveWriter w) {
        w.submit(id -> new ArchiveRecord(id, "alice", "bob", "alice@x", "r", "bob@x", null, LARGE_BODY,
                "<message><body>" + LARGE_BODY + "</body></message>"));
    }

    private static long submit(ArchiveWriter w, int i) {
        return w.submit(id -> new ArchiveRecord(id, "alice", "bob", "alice@x", "r", "bob@x", null, "m" + i,
                "<message><body>m" + i + "</body></message>"));
    }

    @Test
    void closeWritesEveryQueuedRowEvenPastTheDelayAndThroughSlowCommits() {
        GatedStore store = new GatedStore();
        ArchiveWriter w = writer(store, Duration.ofMinutes(10), 100_000);
        store.gate = new CountDownLatch(1);
        for (int i = 0; i < 5_000; i++) {
            submit(w, i);
        }
        Thread.ofVirtual().start(() -> {
            sleep(300);
            store.gate.countDown(); // the database is slow at first, then takes the rows
        });
        w.close();
        assertThat(store.size()).isEqualTo(5_000);
        assertThatThrownBy(() -> submit(w, 0)).isInstanceOf(StoreException.class);
    }

    @Test
    void closeKeepsRetryingAFailingDatabaseAndWritesOnceItRecovers() {
        GatedStore store = new GatedStore();
        ArchiveWriter w = writer(store, Duration.ZERO, 100_000);
        store.failure = new StoreException("database down");
        for (int i = 0; i < 50; i++) {
            submit(w, i);
        }
        Thread.ofVirtual().start(() -> {
            sleep(7_000); // longer than the writer used to keep trying after a stop
            store.failure = null;
        });
        w.close();
        assertThat(store.size()).isEqualTo(50);
    }

    @Test
    void aFullQueueMakesVirtualThreadSubmittersWaitAndNeverDrops() throws Exception {
        GatedStore store = new GatedStore();
        store.gate = new CountDownLatch(1);
        ArchiveWriter w = writer(store, Duration.ZERO, 10);
        AtomicInteger submitted = new AtomicInteger();
        Thread producer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 30; i++) {
                submit(w, i);
                submitted.incrementAndGet();
            }
        });
        Thread.sleep(300);
        // The bound is on the rows behind the transaction the database holds, not on those in it.
        assertThat(store.held).isPositive();
        assertThat(submitted.get() - store.held).as("queued while the database holds the first commit").isEqualTo(10);
        // A platform thread (an event loop, the cluster bus) is never made to wait: it goes over the bound.
        Thread platform = Thread.ofPlatform().start(() -> submit(w, 99));
        platform.join(2_000);
        assertThat(platform.isAlive()).isFalse();

        store.gate.countDown();
        producer.join(5_000);
        assertThat(submitted.get()).isEqualTo(30);
        w.flush(Duration.ofSeconds(5));
        assertThat(store.size()).isEqualTo(31);
        w.close();
    }

    @Test
    void largeRowsAreBoundedInBytesTooAndNoneIsDropped() throws Exception {
        GatedStore store = new GatedStore();
        store.gate = new CountDownLatch(1);
        ArchiveWriter w = boundInBytes(store, Duration.ZERO);
        AtomicInteger submitted = new AtomicInteger();
        Thread producer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 30; i++) {
                submitLarge(w);
                submitted.incrementAndGet();
            }
        });
        Thread.sleep(300);
        // Each row is about 8 KB: five fill 40,000 bytes, far below the 100,000-row bound.
        assertThat(store.held).isPositive();
        assertThat(submitted.get() - store.held).as("queued while the database holds the first commit").isEqualTo(5);

        store.gate.countDown();
        producer.join(5_000);
        assertThat(submitted.get()).isEqualTo(30);
        w.flush(Duration.ofSeconds(5));
        assertThat(store.size()).isEqualTo(30);
        w.close();
    }

    @Test
    void rowsInTheTransactionBeingWrittenDoNotHoldTheSendersBehindIt() throws Exception {
        GatedStore store = new GatedStore();
        store.gate = new CountDownLatch(1);
        ArchiveWriter w = boundInBytes(store, Duration.ofMillis(50));
        Runnable fourRows = () -> {
            for (int i = 0; i < 4; i++) {
                submitLarge(w);
            }
        };
        Thread.ofVirtual().start(fourRows).join(5_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (store.held < 4 && System.nanoTime() < deadline) {
            Thread.sleep(10); // the delay passes and the transaction reaches the held database
        }
        assertThat(store.held).isEqualTo(4);
        // Four rows of 8 KB are in the commit, 33 KB of the 40 KB bound; four more still fit behind it.
        Thread second = Thread.ofVirtual().start(fourRows);
        second.join(2_000);
        assertThat(second.isAlive()).as("a sender held for the whole of a commit it has no row in").isFalse();

        store.gate.countDown();
        w.flush(Duration.ofSeconds(5));
        assertThat(store.size()).isEqualTo(8);
        w.close();
    }

    @Test
    void aQueueFullInBytesIsWrittenAtOnceInsteadOfWaitingOutTheDelay() throws Exception {
        GatedStore store = new GatedStore();
        // A minute to share a transaction, and room for five 8 KB rows: far fewer than a batch.
        ArchiveWriter w = boundInBytes(store, Duration.ofMinutes(1));
        Thread producer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 30; i++) {
                submitLarge(w);
            }
        });
        producer.join(10_000);
        assertThat(producer.isAlive()).as("the sender held at the bound only until a commit, not the delay").isFalse();
        assertThat(store.commits.get()).as("commits made without anyone flushing").isPositive();
        w.flush(Duration.ofSeconds(5));
        assertThat(store.size()).isEqualTo(30);
        w.close();
    }

    @Test
    void theBarrierCompletesOnlyOnceEarlierRowsAreCommitted() throws Exception {
        GatedStore store = new GatedStore();
        ArchiveWriter w = writer(store, Duration.ofMillis(200), 100_000);
        assertThat(w.written()).isCompleted();
        store.gate = new CountDownLatch(1);
        submit(w, 1);
        CompletableFuture<Void> first = w.written();
        submit(w, 2);
        CompletableFuture<Void> second = w.written();
        Thread.sleep(400); // past the delay: the writer is in its commit, held by the gate
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();

        store.gate.countDown();
        second.get(5, TimeUnit.SECONDS);
        assertThat(first).isCompleted();
        assertThat(store.size()).isEqualTo(2);
        w.close();
    }

    @Test
    void aBarrierOnRowsThatCanNeverBeWrittenFails() {
        GatedStore store = new GatedStore();
        ArchiveWriter w = writer(store, Duration.ZERO, 100_000);
        w.close();
        assertThatThrownBy(() -> submit(w, 1)).isInstanceOf(StoreException.class);
        assertThat(w.written()).isCompleted(); // nothing was taken, so nothing is owed
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
