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

    /** Inserts the item or replaces the one with the same JID, groups included. */
    void put(String owner, RosterItem item);

    boolean remove(String owner, String contact);

    /** Pending inbound requests, oldest first. */
    List<PendingSubscription> pendingIn(String owner);

    /**
     * Adds a request. A request already pending from the same JID is replaced, and the new
     * one counts as the latest arrival.
     */
    void addPendingIn(String owner, PendingSubscription pending);

    boolean removePendingIn(String owner, String from);
}
