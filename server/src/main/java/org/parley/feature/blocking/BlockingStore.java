package org.parley.feature.blocking;

import java.util.Collection;
import java.util.List;

/**
 * Each user's block list (XEP-0191): JIDs as written by the user (bare, full or domain JIDs),
 * normalised by the caller. The owner must be an existing account.
 */
public interface BlockingStore {

    /** The blocked JIDs, ordered by {@link String#compareTo}. */
    List<String> blocked(String owner);

    /**
     * Adds JIDs to the list, all or none.
     *
     * @return false, changing nothing, when the list would hold more than {@code maxItems}
     */
    boolean block(String owner, Collection<String> jids, int maxItems);

    /** Removes these JIDs (those not on the list are ignored). */
    void unblock(String owner, Collection<String> jids);

    /** Empties the list; returns what it held. */
    List<String> unblockAll(String owner);
}
