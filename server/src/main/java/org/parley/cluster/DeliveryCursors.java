package org.parley.cluster;

import io.lettuce.core.RedisException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-session delivery cursors over the durable archive, so that nothing a node was delivering
 * is lost when it dies. A session's cursor is when the oldest stanza its client has not confirmed
 * (XEP-0198 acknowledgement) was queued; a session without one has confirmed everything. The
 * node keeps the cursors in memory (a map update per change, on the stanza path) and writes what
 * changed to one Redis hash, {@code <prefix>n:<node>:cursors}, in one {@code HSET} and one
 * {@code HDEL}, right before each liveness renewal, which records the time taken before that
 * write. So a survivor of the node's death knows for each session: whatever the client had not
 * confirmed was queued no earlier than its cursor, or than the node's last renewal when it has
 * none (stanzas that came later changed a cursor not yet written, or none at all), and hands over
 * again what the archive holds since the earlier of the two, less the in-doubt margin for what was
 * still on its way to the node ({@link NodeReaper#inDoubtSince}). Bounded: one entry per local
 * session that has a cursor, and at most {@link #MAX_CHANGED} changes waiting to be written.
 */
final class DeliveryCursors {
    private final RedisLink redis;
    private final ClusterKeys keys;
    private final String self;
    /** Session id → millis, for the local sessions that have a cursor. */
    private final Map<String, Long> current = new ConcurrentHashMap<>();
    /** Session ids whose cursor changed since the last write; at most {@link #MAX_CHANGED}. */
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    /**
     * Beyond this many changes not written (Redis away for long while sessions come and go), the
     * next write replaces the whole hash instead, and the changes are no longer tracked one by one.
     */
    private static final int MAX_CHANGED = 50_000;
    /** The next write replaces the whole hash (after an outage: Redis may have lost it or kept stale fields). */
    private volatile boolean rewrite;

    DeliveryCursors(RedisLink redis, ClusterKeys keys, String self) {
        this.redis = redis;
        this.keys = keys;
        this.self = self;
    }

    /** A local session's cursor changed ({@code oldest} null: its client confirmed everything). */
    void set(String sid, Instant oldest) {
        if (oldest == null) {
            current.remove(sid);
        } else {
            current.put(sid, oldest.toEpochMilli());
        }
        changed(sid);
    }

    /** A local session ended: its cursor goes with the next write. */
    void ended(String sid) {
        current.remove(sid);
        changed(sid);
    }

    private void changed(String sid) {
        changed.add(sid);
        if (changed.size() > MAX_CHANGED) {
            rewriteAll();
        }
    }

    /** The next {@link #write} replaces the whole hash with what is current. */
    void rewriteAll() {
        rewrite = true;
        changed.clear();
    }

    /** Writes what changed since the last call. Throws {@link RedisException} (then it is written next time). */
    void write() {
        if (rewrite) {
            rewrite = false;
            changed.clear();
            replace(); // after the clear: a change made meanwhile is in the snapshot, or tracked again
            return;
        }
        if (changed.isEmpty()) {
            return;
        }
        List<String> taken = new ArrayList<>();
        Map<String, String> set = new HashMap<>();
        List<String> gone = new ArrayList<>();
        for (String sid : changed) {
            changed.remove(sid);
            taken.add(sid);
            Long v = current.get(sid);
            if (v == null) {
                gone.add(sid);
            } else {
                set.put(sid, Long.toString(v));
            }
        }
        try {
            if (!set.isEmpty()) {
                redis.sync().hset(keys.cursors(self), set);
            }
            if (!gone.isEmpty()) {
                redis.sync().hdel(keys.cursors(self), gone.toArray(String[]::new));
            }
        } catch (RedisException e) {
            changed.addAll(taken);
            throw e;
        }
    }

    /** Replaces the hash at once (a new one renamed over it): a survivor never sees it half written. */
    private void replace() {
        Map<String, String> all = new HashMap<>();
        current.forEach((sid, millis) -> all.put(sid, Long.toString(millis)));
        try {
            if (all.isEmpty()) {
                redis.sync().del(keys.cursors(self));
            } else {
                String fresh = keys.cursors(self) + ":new";
                redis.sync().del(fresh);
                redis.sync().hset(fresh, all);
                redis.sync().rename(fresh, keys.cursors(self));
            }
        } catch (RedisException e) {
            rewrite = true;
            throw e;
        }
    }

    /** One session's cursor as its node wrote it, or null. */
    Long of(String node, String sid) {
        return parse(redis.sync().hget(keys.cursors(node), sid));
    }

    /** Deletes one session's cursor, once the session was ended or taken over elsewhere. */
    void forget(String node, String sid) {
        redis.sync().hdel(keys.cursors(node), sid);
    }

    /** Deletes what this node wrote, at a clean stop (its sessions ended or were handed over). */
    void forgetSelf() {
        current.clear();
        changed.clear();
        redis.sync().del(keys.cursors(self));
    }

    static Long parse(String v) {
        try {
            return v == null ? null : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
