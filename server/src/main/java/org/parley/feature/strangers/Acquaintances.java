package org.parley.feature.strangers;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.parley.module.SpreadExpiry;
import org.parley.store.RosterItem;
import org.parley.store.RosterStore;
import org.parley.store.Subscription;

/**
 * Who counts as known to a user: a contact (a roster item with a subscription either way, or one
 * the user asked to subscribe to), or someone the user wrote to recently (or whose held messages
 * the user delivered). The second is a memory of this node, bounded and forgotten after
 * {@code strangers.conversationTtl}: in a cluster, a reply routed by another node than the first
 * message may count as a stranger's.
 */
final class Acquaintances {
    /**
     * How long a roster answer is trusted by the send limit (not by the policy, which reads the
     * roster), on average: each answer keeps its own time ({@link SpreadExpiry}). With one time
     * for all, the answers read together expired together, and every minute each sender's next
     * message waited for a roster read at once: the whole server stalled for 0.3-1.6 s each
     * time at 13,000-16,000 msgs/s (BENCHMARKS.md, "A stall every minute").
     */
    static final Duration CONTACT_TTL = Duration.ofMinutes(1);

    private final RosterStore roster;
    /** (user, peer): the user wrote to the peer. */
    private final Conversations wrote;
    /**
     * user → the bare JIDs that count as the user's contacts, for the send limit only: one roster
     * read per sender a minute, where an answer kept per pair cost a roster query for nearly every
     * message of a user writing to many people. Weighed by contacts, so the bound is in pairs.
     */
    private final Cache<String, Set<String>> contacts;

    Acquaintances(RosterStore roster, int maxEntries, Duration ttl) {
        this(roster, maxEntries, ttl, Ticker.systemTicker(), SpreadExpiry.PER_THREAD);
    }

    /** With a clock for the contacts' expiry and the randomness that spreads it (a test's). */
    Acquaintances(RosterStore roster, int maxEntries, Duration ttl, Ticker ticker, RandomGenerator random) {
        this.roster = roster;
        this.wrote = new Conversations(maxEntries, ttl);
        this.contacts = Caffeine.newBuilder().maximumWeight(maxEntries)
                .weigher((String user, Set<String> peers) -> Math.max(1, peers.size()))
                .expireAfter(new SpreadExpiry<String, Set<String>>(CONTACT_TTL, random))
                .ticker(ticker).build();
    }

    /** Whether {@code peer} is in the user's roster with a subscription or a pending request of the user's. */
    boolean isContact(String user, String peer) {
        Optional<RosterItem> item = roster.item(user, peer);
        return item.isPresent() && counts(item.get());
    }

    /** As {@link #isContact}, from the user's contacts kept for a minute: for counting, where a stale answer costs little. */
    boolean isContactCached(String user, String peer) {
        return contacts.get(user, this::contactsOf).contains(peer);
    }

    private Set<String> contactsOf(String user) {
        Set<String> peers = new HashSet<>();
        for (RosterItem item : roster.items(user)) {
            if (counts(item)) {
                peers.add(item.jid());
            }
        }
        return Set.copyOf(peers);
    }

    private static boolean counts(RosterItem item) {
        return item.subscription() != Subscription.NONE || item.askSubscribe();
    }

    void wrote(String user, String peer) {
        wrote.put(user, peer);
    }

    boolean hasWritten(String user, String peer) {
        return wrote.contains(user, peer);
    }
}
