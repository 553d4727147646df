package org.parley.cluster;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.parley.module.LocalUserLocks;
import org.parley.module.UserLocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link UserLocks} across the cluster: the node's local lock (so threads of one node queue
 * without touching Redis), then a Redis lock {@code <prefix>lock:<user>} taken with
 * {@code SET NX PX} and a random token, released by a compare-and-delete script. The lease
 * bounds how long a killed node can hold a user. While Redis is unreachable only the local lock
 * is taken: nodes then cannot reach each other's users anyway.
 */
final class RedisUserLocks implements UserLocks {
    private static final Logger log = LoggerFactory.getLogger(RedisUserLocks.class);
    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""";

    private final RedisLink redis;
    private final ClusterKeys keys;
    private final LocalUserLocks local = new LocalUserLocks();
    private final ThreadLocal<Set<String>> held = ThreadLocal.withInitial(HashSet::new);

    RedisUserLocks(RedisLink redis, ClusterKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public <T> T withLock(String user, Supplier<T> body) {
        return local.withLock(user, () -> {
            Set<String> mine = held.get();
            if (mine.contains(user) || !redis.isUp()) {
                return body.get();
            }
            String token = acquire(user);
            mine.add(user);
            try {
                return body.get();
            } finally {
                mine.remove(user);
                release(user, token);
            }
        });
    }

    /** Returns the token, or null when Redis failed (the local lock alone then protects). */
    private String acquire(String user) {
        String key = keys.lock(user);
        String token = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + WAIT.toNanos();
        long pause = 1;
        try {
            while (!"OK".equals(redis.sync().set(key, token, SetArgs.Builder.nx().px(LEASE.toMillis())))) {
                if (System.nanoTime() > deadline) {
                    // A holder that outlives its lease window is stuck or gone: proceed, and say so.
                    log.warn("cluster: lock for {} still held after {}; proceeding", user, WAIT);
                    return null;
                }
                Thread.sleep(pause); // session threads are virtual: waiting blocks no carrier
                pause = Math.min(pause * 2, 20);
            }
            return token;
        } catch (RedisException e) {
            redis.failed(e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void release(String user, String token) {
        if (token == null) {
            return;
        }
        try {
            redis.sync().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {keys.lock(user)}, token);
        } catch (RedisException e) {
            redis.failed(e); // the lease expires on its own
        }
    }
}
