package org.parley.feature.offline;

import java.util.List;

/**
 * Offline messages per user, kept in strict arrival order. The owner must be an existing
 * account; storing for any other owner throws {@link StoreException}.
 */
public interface OfflineStore {

    /**
     * Stores the stanza unless the owner already has {@code maxPerUser} messages. The check and
     * the insert are one transaction, so the cap holds under concurrent stores.
     */
    OfflineResult store(String owner, String stanzaXml, int maxPerUser);

    /**
     * The same, but stores nothing (and answers {@link OfflineResult#STORED}) when a message the
     * owner already has contains {@code marker} (a message handed over twice, as after a cluster
     * node's death, is kept once). A null marker checks nothing.
     */
    default OfflineResult storeOnce(String owner, String stanzaXml, int maxPerUser, String marker) {
        return store(owner, stanzaXml, maxPerUser);
    }

    /** Up to {@code limit} messages, oldest first. */
    List<OfflineMessage> fetch(String owner, int limit);

    /** Deletes the owner's messages with an id up to and including the given one, once delivered. */
    void delete(String owner, long upToIdInclusive);

    int count(String owner);

    /**
     * Marks the owner's messages stored since {@code storedSince} (millis) as stored while the
     * owner may have been online on a cluster node the storing node could not see;
     * {@link #unseenOwners} finds them.
     */
    default void markUnseen(String owner, long storedSince) {
    }

    /** Up to {@code limit} owners with marked messages. */
    default List<String> unseenOwners(int limit) {
        return List.of();
    }

    /**
     * Clears the marks of the owner's messages stored before {@code storedBefore} (millis): the
     * owner was found offline everywhere (the messages stay for the next login).
     */
    default void clearUnseen(String owner, long storedBefore) {
    }
}
