package org.parley.feature.strangers;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import org.parley.store.RosterItem;
import org.parley.store.RosterStore;

/**
 * Who counts as known to a user: a contact (a roster item with a subscription either way, or one
 * the user asked to subscribe to), or someone the user wrote to recently (or whose held messages
 * the user delivered). The second is a memory of this node, bounded and forgotten after
 * {@code strangers.conversationTtl}: in a cluster, a reply routed by another node than the first
 * message may count as a stranger's.
 */
final class Acquaintances {
    /** How long a roster answer is trusted by the send limit (not by the policy, which reads the roster). */
    private static final Duration CONTACT_TTL = Duration.ofMinutes(1);

    private final RosterStore roster;
    /** {@code user \0 peer}: the user wrote to the peer. */
    private final Cache<String, Boolean> wrote;
    /** {@code user \0 peer}: the roster's answer, for the send limit only. */
    private final Cache<String, Boolean> contacts;

    Acquaintances(RosterStore roster, int maxEntries, Duration ttl) {
        this.roster = roster;
        this.wrote = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(ttl).build();
        this.contacts = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(CONTACT_TTL).build();
    }

    /** Whether {@code peer} is in the user's roster with a subscription or a pending request of the user's. */
    boolean isContact(String user, String peer) {
        Optional<RosterItem> item = roster.item(user, peer);
        return item.isPresent() && (item.get().subscription() != org.parley.store.Subscription.NONE
                || item.get().askSubscribe());
    }

    /** As {@link #isContact}, the answer kept for a minute: for counting, where a stale answer costs little. */
    boolean isContactCached(String user, String peer) {
        return contacts.get(key(user, peer), k -> isContact(user, peer));
    }

    void wrote(String user, String peer) {
        wrote.put(key(user, peer), Boolean.TRUE);
    }

    boolean hasWritten(String user, String peer) {
        return wrote.getIfPresent(key(user, peer)) != null;
    }

    private static String key(String user, String peer) {
        return user + '\0' + peer;
    }
}
