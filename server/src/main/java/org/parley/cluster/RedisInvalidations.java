package org.parley.cluster;

import io.lettuce.core.RedisException;
import java.util.function.Consumer;
import org.parley.module.Invalidations;

/**
 * {@link Invalidations} across the cluster: one Redis pub/sub channel per topic
 * ({@code <prefix>inv:<name>}). The publishing node runs its handler directly, before Redis, so
 * its own next read never sees stale data; other nodes hear the key a moment later. A node that
 * loses Redis drops everything cached when it loses it and when it is back, since it may miss
 * keys in between.
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
        // Keys published while this node was cut off never reach it: forget everything on losing
        // Redis, and again once it is back, as what was read meanwhile may have gone stale unheard.
        redis.onDisconnect(() -> handler.accept(null));
        redis.onUp(() -> handler.accept(null));
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
