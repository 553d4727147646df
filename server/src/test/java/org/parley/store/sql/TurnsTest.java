package org.parley.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pool's turns: arrival order, and a wait that gives up only when nothing moves. */
class TurnsTest {

    @Test
    void turnsGoInArrivalOrderAndAWaitOutlastsItsPatienceWhileOthersComplete() throws Exception {
        // One turn, patience 1 s; 15 callers each hold it 100 ms: the last waits ~1.5 s, past
        // its patience, but something completes every 100 ms, so it gets its turn.
        Turns turns = new Turns(1, 1, TimeUnit.SECONDS);
        assertThat(turns.take()).isTrue();
        List<Integer> order = new CopyOnWriteArrayList<>();
        AtomicInteger failed = new AtomicInteger();
        Thread[] callers = new Thread[15];
        for (int i = 0; i < callers.length; i++) {
            int n = i;
            callers[i] = Thread.ofVirtual().start(() -> {
                if (!turns.take()) {
                    failed.incrementAndGet();
                    return;
                }
                order.add(n);
                sleep(100);
                turns.give(true);
            });
            awaitWaiting(turns, i + 1); // queued in this order
        }
        turns.give(true);
        for (Thread t : callers) {
            t.join(30_000);
        }
        assertThat(failed).hasValue(0);
        assertThat(order).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
        assertThat(turns.longWaits()).as("waits that went on past their patience").isPositive();
        assertThat(turns.take()).as("every turn given back").isTrue();
    }

    @Test
    void aWaitGivesUpWhenNothingCompletesForItsWholePatience() throws Exception {
        Turns turns = new Turns(1, 300, TimeUnit.MILLISECONDS);
        assertThat(turns.take()).isTrue(); // held, as by a call stuck on an unreachable database
        long start = System.nanoTime();
        assertThat(turns.take()).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);
        assertThat(turns.waiting()).as("the caller that gave up left the queue").isZero();
        turns.give(false); // a failed call moves nothing, but frees its turn
        assertThat(turns.take()).isTrue();
    }

    private static void awaitWaiting(Turns turns, int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (turns.waiting() < n && System.nanoTime() < end) {
            Thread.sleep(1);
        }
        assertThat(turns.waiting()).isEqualTo(n);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
