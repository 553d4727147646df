package org.parley.feature.last;

import java.util.Map;
import java.util.Optional;

/** The time and status of each user's last logout (XEP-0012). */
public interface LastActivityStore {

    /** Records a logout, replacing the previous one; does nothing for an account that no longer exists. */
    void put(String owner, LastActivity activity);

    /** Records several logouts in one transaction, as {@link #put} each. */
    default void putAll(Map<String, LastActivity> logouts) {
        logouts.forEach(this::put);
    }

    Optional<LastActivity> get(String owner);
}
