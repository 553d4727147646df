package org.parley.config;

import java.time.Duration;

/** {@code cluster.*}: set {@code cluster.nodeId} to run as a node of a cluster (docs/cluster.md). */
public record ClusterSettings(SectionValues values) {

    // The node id goes into Redis keys and values, so it is kept to a safe alphabet.
    static final Option<String> NODE_ID = Option.text("nodeId", null, "this node's name in the cluster")
            .check(id -> id.matches("[A-Za-z0-9._-]{1,64}"), "1-64 letters, digits, '.', '_' or '-'");
    static final Option<String> REDIS_URL = Option.text("redisUrl", "redis://127.0.0.1:6379",
                    "the session directory and node bus")
            .check(url -> url.startsWith("redis://") || url.startsWith("rediss://")
                            || url.startsWith("redis-sentinel://") || url.startsWith("rediss-sentinel://"),
                    "a Redis URL such as redis://127.0.0.1:6379 or redis-sentinel://10.0.0.5:26379,10.0.0.6:26379#mymaster");
    static final Option<String> KEY_PREFIX = Option.text("keyPrefix", "parley:",
            "prefix of every Redis key and channel");
    static final Option<Duration> NODE_TTL = Option.duration("nodeTtl", Duration.ofSeconds(10), Duration.ofSeconds(1),
            Duration.ofMinutes(10), "a node whose liveness key is this old is taken as dead");

    public static final Section SECTION = Section.of("cluster", NODE_ID, REDIS_URL, KEY_PREFIX, NODE_TTL);

    /** True when {@code cluster.nodeId} is set: sessions are shared through Redis. */
    public boolean clustered() {
        return nodeId() != null;
    }

    /** Null on a single node. */
    public String nodeId() {
        return values.get(NODE_ID);
    }

    public String redisUrl() {
        return values.get(REDIS_URL);
    }

    public String keyPrefix() {
        return values.get(KEY_PREFIX);
    }

    public Duration nodeTtl() {
        return values.get(NODE_TTL);
    }
}
