package org.parley.cluster;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import org.parley.xmpp.Jid;

/**
 * The directory's Redis operations. Every change is one Lua script, so it is atomic, and it
 * publishes the user's bare JID on the directory channel so every node drops its cached copy.
 * All methods may throw {@link RedisException}.
 */
final class DirectoryTable {
    /** Sets an entry and returns the value it replaced (how a node learns of a conflict). */
    private static final String BIND = """
            local old = redis.call('HGET', KEYS[1], ARGV[1])
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('SADD', KEYS[2], ARGV[3])
            redis.call('PUBLISH', ARGV[4], ARGV[3])
            return old""";
    /** Deletes an entry only if it still names the given session; keeps the node's user set exact. */
    private static final String REMOVE = """
            local v = redis.call('HGET', KEYS[1], ARGV[1])
            if not v or string.sub(v, 1, #ARGV[2]) ~= ARGV[2] then return 0 end
            redis.call('HDEL', KEYS[1], ARGV[1])
            for _, x in ipairs(redis.call('HVALS', KEYS[1])) do
              if string.sub(x, 1, #ARGV[5]) == ARGV[5] then
                redis.call('PUBLISH', ARGV[4], ARGV[3])
                return 1
              end
            end
            redis.call('SREM', KEYS[2], ARGV[3])
            redis.call('PUBLISH', ARGV[4], ARGV[3])
            return 1""";
    /** Replaces an entry's value only if it still names the given session (presence updates). */
    private static final String UPDATE = """
            local v = redis.call('HGET', KEYS[1], ARGV[1])
            if not v or string.sub(v, 1, #ARGV[2]) ~= ARGV[2] then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            redis.call('PUBLISH', ARGV[5], ARGV[4])
            return 1""";

    private static final String FORGET_MEMBER = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            return redis.call('HDEL', KEYS[2], ARGV[1])""";

    /**
     * Removes a session's entry if it still names that session, with what it shared and logged,
     * which it returns ({shared hash as a flat list, log}); nil when the entry is gone or another's.
     */
    private static final String ADOPT = """
            local v = redis.call('HGET', KEYS[1], ARGV[1])
            if not v or string.sub(v, 1, #ARGV[2]) ~= ARGV[2] then return false end
            local shared = redis.call('HGETALL', KEYS[3])
            local log = redis.call('ZRANGE', KEYS[4], 0, -1)
            redis.call('DEL', KEYS[3], KEYS[4])
            redis.call('HDEL', KEYS[1], ARGV[1])
            local keep = false
            for _, x in ipairs(redis.call('HVALS', KEYS[1])) do
              if string.sub(x, 1, #ARGV[5]) == ARGV[5] then keep = true end
            end
            if not keep then redis.call('SREM', KEYS[2], ARGV[3]) end
            redis.call('PUBLISH', ARGV[4], ARGV[3])
            return {shared, log}""";

    private final RedisLink redis;
    private final ClusterKeys keys;

    DirectoryTable(RedisLink redis, ClusterKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /** Writes the entry for {@code full}; returns the entry it replaced, or null. */
    DirectoryEntry bind(Jid full, DirectoryEntry entry) {
        String bare = full.bare().toString();
        String old = redis.sync().eval(BIND, ScriptOutputType.VALUE,
                new String[] {keys.user(full.bare()), keys.nodeUsers(entry.node())},
                full.resource(), entry.encode(), bare, keys.directoryChannel());
        return old == null ? null : DirectoryEntry.parse(old);
    }

    /** Deletes the entry of {@code full} if it is still {@code entry}'s session. */
    boolean remove(Jid full, DirectoryEntry entry) {
        String bare = full.bare().toString();
        Long n = redis.sync().eval(REMOVE, ScriptOutputType.INTEGER,
                new String[] {keys.user(full.bare()), keys.nodeUsers(entry.node())},
                full.resource(), entry.owner(), bare, keys.directoryChannel(), entry.node() + '\n');
        return n != null && n == 1;
    }

    /** Replaces the entry of {@code full} (new presence) if it is still {@code entry}'s session. */
    boolean update(Jid full, DirectoryEntry entry) {
        Long n = redis.sync().eval(UPDATE, ScriptOutputType.INTEGER, new String[] {keys.user(full.bare())},
                full.resource(), entry.owner(), entry.encode(), full.bare().toString(), keys.directoryChannel());
        return n != null && n == 1;
    }

    /** All entries of a user: resource to raw value. */
    Map<String, String> entries(Jid bare) {
        return redis.sync().hgetall(keys.user(bare));
    }

    /**
     * Deletes the entries naming {@code node} for which {@code keep(fullJid, entry)} is false;
     * with a predicate that keeps nothing, forgets the node altogether. {@code removed} is told
     * of each entry this call deleted (not of one another node deleted first).
     */
    void prune(String node, BiPredicate<Jid, DirectoryEntry> keep, BiConsumer<Jid, DirectoryEntry> removed) {
        for (String user : redis.sync().smembers(keys.nodeUsers(node))) {
            Jid bare = Jid.parseOrNull(user);
            if (bare == null) {
                redis.sync().srem(keys.nodeUsers(node), user);
                continue;
            }
            boolean any = false;
            for (Map.Entry<String, String> e : entries(bare).entrySet()) {
                DirectoryEntry entry = parseOrNull(e.getValue());
                if (entry == null || !entry.node().equals(node)) {
                    continue;
                }
                Jid full = bare.withResource(e.getKey());
                if (keep.test(full, entry)) {
                    any = true;
                } else if (remove(full, entry)) {
                    removed.accept(full, entry);
                }
            }
            if (!any) {
                redis.sync().srem(keys.nodeUsers(node), user);
            }
        }
    }

    /**
     * Sets (or with a null value removes) one field of a session's shared state, without waiting:
     * the connection keeps the order of commands, so a later removal still comes after it.
     */
    void share(String node, String sid, String name, String value) {
        if (value == null) {
            redis.async().hdel(keys.shared(node, sid), name);
        } else {
            redis.async().hset(keys.shared(node, sid), name, value);
        }
    }

    /** Adds an entry to a session's log, without waiting. */
    java.util.concurrent.CompletionStage<Long> log(String node, String sid, long seq, String entry) {
        return redis.async().zadd(keys.sharedLog(node, sid), (double) seq, entry);
    }

    /** Drops a session's log entries up to {@code seq}, without waiting. */
    void unlog(String node, String sid, long seq) {
        redis.async().zremrangebyscore(keys.sharedLog(node, sid),
                io.lettuce.core.Range.create(Double.NEGATIVE_INFINITY, (double) seq));
    }

    /** What {@link #adopt} took over: the session's shared state and its log, in sequence order. */
    record Adopted(Map<String, String> shared, java.util.List<String> log) {
    }

    /**
     * Removes the entry of {@code full} if it is still {@code entry}'s session, and with it what
     * the session shared and logged, which it returns; null when another node removed it first.
     */
    @SuppressWarnings("unchecked")
    Adopted adopt(Jid full, DirectoryEntry entry) {
        String bare = full.bare().toString();
        java.util.List<Object> got = redis.sync().eval(ADOPT, ScriptOutputType.MULTI,
                new String[] {keys.user(full.bare()), keys.nodeUsers(entry.node()),
                    keys.shared(entry.node(), entry.sid()), keys.sharedLog(entry.node(), entry.sid())},
                full.resource(), entry.owner(), bare, keys.directoryChannel(), entry.node() + '\n');
        if (got == null || got.size() < 2) {
            return null;
        }
        java.util.List<Object> flat = (java.util.List<Object>) got.get(0);
        Map<String, String> shared = new java.util.HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            shared.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        java.util.List<String> log = new java.util.ArrayList<>();
        for (Object o : (java.util.List<Object>) got.get(1)) {
            log.add((String) o);
        }
        return new Adopted(shared, log);
    }

    /** Whether a node's bus channel has a subscriber: a node whose process died has none. */
    boolean listening(String node) {
        Long n = redis.sync().pubsubNumsub(keys.bus(node)).get(keys.bus(node));
        return n != null && n > 0;
    }

    /** The wall-clock millis of a member's last liveness renewal, or null when unknown. */
    Long lastRenewal(String node) {
        String v = redis.sync().hget(keys.members(), node);
        try {
            return v == null ? null : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The raw entry of one resource, or null. */
    String entry(Jid full) {
        return redis.sync().hget(keys.user(full.bare()), full.resource());
    }

    /** A session's shared state (empty when it shared nothing). */
    Map<String, String> shared(DirectoryEntry entry) {
        return redis.sync().hgetall(keys.shared(entry.node(), entry.sid()));
    }

    /** A session's log, in sequence order (empty when it logged nothing). */
    java.util.List<String> log(DirectoryEntry entry) {
        return redis.sync().zrange(keys.sharedLog(entry.node(), entry.sid()), 0, -1);
    }

    /** Deletes a session's shared state once it ended. */
    void forgetShared(DirectoryEntry entry) {
        redis.sync().del(keys.shared(entry.node(), entry.sid()), keys.sharedLog(entry.node(), entry.sid()));
    }

    /** Drops a node from the member set unless its liveness key exists again (it restarted meanwhile). */
    void forgetMember(String node) {
        redis.sync().eval(FORGET_MEMBER, ScriptOutputType.INTEGER, new String[] {keys.alive(node), keys.members()}, node);
    }

    static DirectoryEntry parseOrNull(String value) {
        try {
            return DirectoryEntry.parse(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
