package org.parley.feature.last;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.parley.store.StoreException;

/**
 * Logouts of many sessions ending at once (a node stopping with thousands) are written a batch to
 * a transaction, never more than the bound waiting, and nothing is lost when a write fails.
 */
class LogoutWritesTest {

    /** A store that takes {@code millis} per transaction and remembers each one's size. */
    private static final class SlowStore implements LastActivityStore {
        final Map<String, LastActivity> rows = new ConcurrentHashMap<>();
        final List<Integer> transactions = new CopyOnWriteArrayList<>();
        final AtomicBoolean failNext = new AtomicBoolean();
        final long millis;

        SlowStore(long millis) {
            this.millis = millis;
        }

        @Override
        public void put(String owner, LastActivity activity) {
            putAll(Map.of(owner, activity));
        }

        @Override
        public void putAll(Map<String, LastActivity> logouts) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failNext.getAndSet(false)) {
                throw new StoreException("database gone for a moment");
            }
            transactions.add(logouts.size());
            rows.putAll(logouts);
        }

        @Override
        public Optional<LastActivity> get(String owner) {
            return Optional.ofNullable(rows.get(owner));
        }
    }

    private static void logoutAll(LogoutWrites writes, int users) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < users; i++) {
                String user = "u" + i;
                threads.execute(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    writes.record(user, new LastActivity(Instant.ofEpochSecond(1_000), "bye"));
                });
            }
            go.countDown();
        } // every record() has returned: its row was written by then or is being written by a writer still running
    }

    @Test
    void aThousandLogoutsAtOnceAreAFewTransactions() throws Exception {
        SlowStore store = new SlowStore(20);
        logoutAll(new LogoutWrites(store, 1000), 1000);
        assertThat(store.rows).hasSize(1000);
        assertThat(store.transactions).as("transactions, by rows (one each before: 1,000 commits)").hasSizeLessThan(50);
    }

    @Test
    void logoutsOneCallerRecordsTogetherShareTransactions() {
        // A survivor ending a dead node's 250 sessions, one after another on its worker: with
        // record() each was a transaction of its own (nobody else was writing to share it).
        SlowStore store = new SlowStore(0);
        LogoutWrites writes = new LogoutWrites(store, 100);
        Map<String, LastActivity> logouts = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 250; i++) {
            logouts.put("dead" + i, new LastActivity(Instant.ofEpochSecond(2_000), null));
        }
        writes.recordAll(logouts);
        assertThat(store.rows).hasSize(250);
        assertThat(store.transactions).as("rows per transaction").containsExactly(100, 100, 50);
    }

    @Test
    void noMoreThanTheBoundWaitAndTheRestAreSlowedToTheDatabase() throws Exception {
        SlowStore store = new SlowStore(5);
        logoutAll(new LogoutWrites(store, 100), 1000);
        assertThat(store.rows).hasSize(1000);
        assertThat(store.transactions).as("rows per transaction").allMatch(n -> n <= 100);
    }

    @Test
    void aFailedWriteLosesThatBatchOnlyAndTheNextLogoutsAreWritten() throws Exception {
        SlowStore store = new SlowStore(1);
        LogoutWrites writes = new LogoutWrites(store, 10);
        store.failNext.set(true);
        writes.record("first", new LastActivity(Instant.ofEpochSecond(1), null));
        assertThat(store.rows).as("the failed write's logout (best effort, logged)").isEmpty();
        logoutAll(writes, 100);
        assertThat(store.rows).hasSize(100);
    }
}
