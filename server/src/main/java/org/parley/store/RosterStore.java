package org.parley.store;

import java.util.List;
import java.util.Optional;

/**
 * Rosters and pending inbound subscription requests (RFC 6121 §2, §3). The owner must be an
 * existing account; writing for any other owner throws {@link StoreException}.
 */
public interface RosterStore {

    /** The owner's roster, ordered by contact JID ({@link String#compareTo}). */
    List<RosterItem> items(String owner);

    Optional<RosterItem> item(String owner, String contact);

    /**
     * Inserts the item or replaces the one with the same JID, groups included.
     *
     * @return the owner's roster version after this change (RFC 6121 §2.6)
     */
    long put(String owner, RosterItem item);

    /** Removes the item and remembers the removal for {@link #changesSince}; false if there was none. */
    boolean remove(String owner, String contact);

    /** Pending inbound requests, oldest first. */
    List<PendingSubscription> pendingIn(String owner);

    /**
     * Adds a request. A request already pending from the same JID is replaced, and the new
     * one counts as the latest arrival.
     */
    void addPendingIn(String owner, PendingSubscription pending);

    boolean removePendingIn(String owner, String from);

    /** The owner's roster version: 0 before the first change, then one more with each change. */
    long version(String owner);

    /**
     * The changes after version {@code since}, oldest first, each item or removal once (its
     * latest change); empty when they are no longer known ({@code since} is older than the
     * removals kept, or newer than the roster), so the whole roster must be sent instead.
     */
    java.util.Optional<List<RosterChange>> changesSince(String owner, long since);

    /** Forgets all but the {@code keep} most recent removals; versions before those become unknown. */
    void trimRemovals(String owner, int keep);
}
