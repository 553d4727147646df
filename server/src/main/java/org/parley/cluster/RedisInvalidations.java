package org.parley.cluster;

import io.lettuce.core.RedisException;
import java.util.function.Consumer;
import org.parley.module.Invalidations;

/**
 * {@link Invalidations} across the cluster: one Redis pub/sub channel per topic
 * ({@code <prefix>inv:<name>}). The publishing node runs its handler directly, before Redis, so
 * its own next read never sees stale data; other nodes hear the key a moment later. A node that
 * loses Redis drops everything cached, since it may miss keys until it is back.
 */
final class RedisInvalidations implements Invalidations {
    private final RedisLink redis;
    private final ClusterKeys keys;

    RedisInvalidations(RedisLink redis, ClusterKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public Topic topic(String name, Consumer<String> handler) {
        String channel = keys.invalidations(name);
        redis.subscribe(channel, handler);
        redis.onDisconnect(() -> handler.accept(null));
        return key -> {
            handler.accept(key);
            try {
                redis.async().publish(channel, key).whenComplete((n, error) -> {
                    if (error != null) {
                        redis.failed(error);
                    }
                });
            } catch (RedisException e) {
                redis.failed(e);
            }
        };
    }
}
