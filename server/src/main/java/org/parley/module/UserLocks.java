package org.parley.module;

import java.util.function.Supplier;

/**
 * Mutual exclusion per user account, for a feature's read-modify-write of that user's state
 * (a roster item, the offline store and its flush). On one node it is a local lock; in a
 * cluster it also excludes the other nodes. Reentrant for the thread holding it. A holder must
 * not route stanzas that could need another user's lock held by someone waiting for this one.
 */
public interface UserLocks {

    <T> T withLock(String user, Supplier<T> body);

    default void withLock(String user, Runnable body) {
        withLock(user, () -> {
            body.run();
            return null;
        });
    }
}
