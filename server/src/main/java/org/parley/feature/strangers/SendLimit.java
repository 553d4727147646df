package org.parley.feature.strangers;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * strangers.maxMessages per strangers.window: how many messages one account may send to people
 * who do not know it. A fixed window per account that opens with its first such message; per
 * node, bounded (an account forgotten under pressure starts a new window).
 */
final class SendLimit {
    private final int max;
    private final long windowNanos;
    private final Cache<String, Window> windows;

    private static final class Window {
        long start;
        int count;
    }

    SendLimit(int max, Duration window, int maxAccounts) {
        this.max = max;
        this.windowNanos = window.toNanos();
        this.windows = Caffeine.newBuilder().maximumSize(maxAccounts).expireAfterAccess(window).build();
    }

    /** Counts one message of {@code user}; false when it is one too many for the window. */
    boolean allow(String user, long nanoTime) {
        Window w = windows.get(user, k -> new Window());
        synchronized (w) {
            if (w.count == 0 || nanoTime - w.start >= windowNanos) {
                w.start = nanoTime;
                w.count = 0;
            }
            if (w.count >= max) {
                return false;
            }
            w.count++;
            return true;
        }
    }
}
