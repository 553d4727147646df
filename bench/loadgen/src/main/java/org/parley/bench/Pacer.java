package org.parley.bench;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;

/**
 * Open-loop pacing: issues actions at a fixed rate from the schedule, not from completions, so a
 * slow server shows up as latency and backlog rather than as a slower generator. When this
 * thread falls behind (the generator is overloaded) it catches up in bursts, and the shortfall
 * is visible as sent &lt; offered.
 */
final class Pacer {
    private final RunClock clock;

    Pacer(RunClock clock) {
        this.clock = clock;
    }

    /**
     * Calls {@code action} with a running sequence number {@code rate} times per second until
     * {@code count} actions are issued or {@code deadlineNanos} passes; the action returns false
     * to stop early. Returns the number of actions issued.
     */
    long run(double rate, long count, long deadlineNanos, LongPredicate action) {
        long start = clock.nowNanos();
        long issued = 0;
        while (issued < count) {
            long now = clock.nowNanos();
            if (now >= deadlineNanos) {
                break;
            }
            long due = Math.min(count, (long) ((now - start) / 1e9 * rate) + 1);
            while (issued < due) {
                if (!action.test(issued++)) {
                    return issued;
                }
            }
            LockSupport.parkNanos(200_000);
        }
        return issued;
    }
}
