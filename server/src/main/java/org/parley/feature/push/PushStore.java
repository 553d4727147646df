package org.parley.feature.push;

import java.util.List;

/**
 * XEP-0357 push registrations per account, keyed by (app server JID, node). Kept in the database
 * so that every cluster node sees them; they go with the account.
 */
public interface PushStore {

    /**
     * Adds the registration, or replaces the publish options of the same (jid, node). Refuses a
     * new one when the owner already has {@code max}; check and insert are one transaction.
     *
     * @return false when refused for the cap
     */
    boolean enable(String owner, PushRegistration registration, int max);

    /** Removes the registration of (jid, node), or every one with that jid when node is null; returns how many. */
    int disable(String owner, String jid, String node);

    /** The owner's registrations, oldest first. */
    List<PushRegistration> list(String owner);
}
