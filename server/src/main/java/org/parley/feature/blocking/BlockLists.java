package org.parley.feature.blocking;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.parley.module.InvalidatedCache;
import org.parley.module.Invalidations;
import org.parley.xmpp.Jid;

/**
 * The users' block lists as the routing path reads them: cached per user, bounded, dropped on
 * every change announced over the invalidation topic (from this node or another).
 */
final class BlockLists {
    /** A safety net for an invalidation lost while a node was cut off from Redis. */
    private static final Duration MAX_AGE = Duration.ofMinutes(10);

    private final BlockingStore store;
    private final InvalidatedCache<Set<String>> cache;

    BlockLists(BlockingStore store, int cachedUsers) {
        this.store = store;
        this.cache = new InvalidatedCache<>(cachedUsers, MAX_AGE);
    }

    void listen(Invalidations invalidations) {
        cache.listen(invalidations, "blocking");
    }

    /** Tells every node that the user's list changed. */
    void changed(String user) {
        cache.changed(user);
    }

    Set<String> of(String user) {
        return cache.get(user, u -> Set.copyOf(store.blocked(u)));
    }

    /** Whether {@code user} blocked {@code jid}: XEP-0191 §2 matching. */
    boolean blocks(String user, Jid jid) {
        Set<String> list = of(user);
        return !list.isEmpty() && matches(list, jid);
    }

    static boolean matches(Collection<String> list, Jid jid) {
        if (list.contains(jid.toString()) || list.contains(jid.bare().toString())) {
            return true;
        }
        if (jid.resource() != null && list.contains(jid.domain() + "/" + jid.resource())) {
            return true;
        }
        // A domain covers its users, its resources and its subdomains.
        String domain = jid.domain();
        while (true) {
            if (list.contains(domain)) {
                return true;
            }
            int dot = domain.indexOf('.');
            if (dot < 0) {
                return false;
            }
            domain = domain.substring(dot + 1);
        }
    }

    static List<String> sorted(Collection<String> jids) {
        return jids.stream().sorted().toList();
    }
}
