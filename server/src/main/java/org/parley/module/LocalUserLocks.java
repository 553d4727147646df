package org.parley.module;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** {@link UserLocks} of one node: striped reentrant locks, so memory does not grow with users. */
public final class LocalUserLocks implements UserLocks {
    private static final int STRIPES = 256;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    public LocalUserLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    @Override
    public <T> T withLock(String user, Supplier<T> body) {
        ReentrantLock lock = stripes[Math.floorMod(user.hashCode(), STRIPES)];
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }
}
