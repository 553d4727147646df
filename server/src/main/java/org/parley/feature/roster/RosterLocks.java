package org.parley.feature.roster;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises the read-modify-write of one user's roster. Stanzas for a user are processed on the
 * sender's thread, so the user approving a request and the contact's answer arriving at the same
 * moment would otherwise both read the old item and the later write would lose the other's change.
 * Striped by owner; a holder never routes and never takes a second stripe, so there is no deadlock.
 */
final class RosterLocks {
    private static final int STRIPES = 64;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    RosterLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    <T> T with(String owner, Supplier<T> body) {
        ReentrantLock lock = stripes[Math.floorMod(owner.hashCode(), STRIPES)];
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }
}
