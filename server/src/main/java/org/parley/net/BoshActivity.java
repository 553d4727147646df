package org.parley.net;

/**
 * How often one BOSH session's client may send empty requests (XEP-0124 1.11 §11, §12), under
 * its connection's lock. {@code polling} is the shortest interval between empty requests the
 * server announced; an empty request (no payloads, no restart, pause or terminate) that comes
 * sooner than that after the previous new request, which was empty too, is too frequent:
 * <ul>
 *   <li>in a polling session ({@code hold} 0, §12) when the answer to that previous request carried
 *       nothing: the client polls faster than it may;</li>
 *   <li>otherwise (§11) when that previous request is still waiting for its answer: a second empty
 *       request beside a waiting one carries nothing and only spins.</li>
 * </ul>
 * §11 words its rule as a sequence of {@code requests} unanswered requests whose last is empty;
 * read to the letter it would also cut off a client that keeps its one empty request waiting while
 * it sends stanzas in requests of their own (as {@code requests} = {@code hold} + 1 allows, §8),
 * which spins nothing, so only two empty requests count.
 */
final class BoshActivity {
    private final long pollingNanos;
    private final boolean pollingSession;
    private long lastArrival;
    private boolean anyBefore;
    /** The previous new request if it was empty, else null. */
    private BoshConnection.Held lastEmpty;

    /**
     * @param pollingSeconds the announced {@code polling}; 0 checks nothing (§11: without it a client may
     *                       poll as often as it likes)
     * @param hold           the session's {@code hold}; 0 makes it a polling session
     */
    BoshActivity(long pollingSeconds, int hold) {
        this.pollingNanos = pollingSeconds * 1_000_000_000L;
        this.pollingSession = hold == 0;
    }

    /** Whether a new request, {@code empty} or not, arriving at {@code now} (nanoTime) comes too soon. */
    boolean tooFrequent(boolean empty, long now) {
        BoshConnection.Held previous = lastEmpty;
        if (!empty || pollingNanos == 0 || previous == null || !anyBefore || now - lastArrival >= pollingNanos) {
            return false;
        }
        return pollingSession ? previous.answer.isDone() && !previous.carried : !previous.answer.isDone();
    }

    /** A new request {@code h} arrived at {@code now} and is taken in. */
    void arrived(BoshConnection.Held h, boolean empty, long now) {
        anyBefore = true;
        lastArrival = now;
        lastEmpty = empty ? h : null;
    }
}
