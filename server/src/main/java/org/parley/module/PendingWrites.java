package org.parley.module;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Writes that modules accept at once and make durable a little later, in group commits (the
 * archive). An acknowledgement that promises durability, such as XEP-0198's {@code <a/>}, waits
 * for {@link #durable()}; it is delayed by at most one group commit, the delivery not at all.
 * Neither side names the other: a writer registers here, an acknowledging feature waits here.
 */
public final class PendingWrites {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final List<Supplier<? extends CompletionStage<Void>>> writers = new CopyOnWriteArrayList<>();

    /**
     * Registers a writer by its barrier: a stage that completes once everything the writer
     * accepted before the call is durable, or completes exceptionally when it never will be.
     */
    public void register(Supplier<? extends CompletionStage<Void>> barrier) {
        writers.add(barrier);
    }

    /**
     * Completes once every write any module accepted before this call is durable; completes
     * exceptionally when one of them will never be (its writer stopped, or gave up on them).
     */
    public CompletionStage<Void> durable() {
        if (writers.isEmpty()) {
            return DONE;
        }
        if (writers.size() == 1) {
            return writers.get(0).get();
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[writers.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = writers.get(i).get().toCompletableFuture();
        }
        return CompletableFuture.allOf(all);
    }
}
