package org.parley.feature.strangers;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** Messages from strangers held for their recipients (strangers.policy {@code hold}), oldest first. */
public interface HeldStore {

    /** One held message: its sender's bare JID and the stanza as it arrived, with a delay stamp. */
    record Held(long id, String sender, String stanzaXml, Instant heldAt) {
    }

    /** A sender with messages held for an owner: how many, and when the latest came. */
    record Sender(String jid, int count, Instant latest) {
    }

    /**
     * Holds a message unless the owner already has {@code maxPerUser} held; one transaction.
     *
     * @return false, holding nothing, when the owner has that many
     */
    boolean hold(String owner, String sender, String stanzaXml, int maxPerUser, Instant now);

    /** The senders with messages held for the owner, in the order their first message came. */
    List<Sender> senders(String owner);

    /** Removes and returns the owner's messages from these senders, oldest first. */
    List<Held> take(String owner, Collection<String> senders);

    /** Deletes what was held before {@code cutoff}; returns how many. */
    int purge(Instant cutoff);
}
