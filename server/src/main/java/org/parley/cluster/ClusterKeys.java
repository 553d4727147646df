package org.parley.cluster;

import org.parley.xmpp.Jid;

/** The Redis key and channel names of one cluster, all under the operator's prefix. */
record ClusterKeys(String prefix) {

    /** Hash of a user's bound resources: field = resource, value = a {@link DirectoryEntry}. */
    String user(Jid bare) {
        return prefix + "u:" + bare;
    }

    /** Set of the bare JIDs a node has entries for, so the node can clean them up. */
    String nodeUsers(String node) {
        return prefix + "n:" + node + ":users";
    }

    /**
     * Hash of a node's delivery cursors: session id → wall-clock millis when the oldest stanza its
     * client has not confirmed was queued (see {@link DeliveryCursors}).
     */
    String cursors(String node) {
        return prefix + "n:" + node + ":cursors";
    }

    /** The node's liveness key; it expires unless the node renews it. */
    String alive(String node) {
        return nodes() + node + ALIVE;
    }

    /** What every per-node key starts with, and the liveness key's suffix: for scripts that name a node's key. */
    String nodes() {
        return prefix + "n:";
    }

    static final String ALIVE = ":alive";

    /** The node that owns an entity of a kind (see {@link RedisOwnership}). */
    String owner(String kind, String entity) {
        return prefix + "own:" + kind + ":" + entity;
    }

    /** Hash of what a session shared for the case its node dies ({@link org.parley.route.Directory#share}). */
    String shared(String node, String sid) {
        return prefix + "x:" + node + ":" + sid;
    }

    /** Sorted set of a session's log ({@link org.parley.route.Directory#log}), scored by sequence number. */
    String sharedLog(String node, String sid) {
        return shared(node, sid) + ":log";
    }

    /**
     * Hash of the nodes taking part: node id → wall-clock millis of its last liveness renewal,
     * so a survivor finds a dead node and knows since when its sessions' stanzas are in doubt.
     */
    String members() {
        return prefix + "nodes";
    }

    /** Held (with a TTL) by the one survivor that cleans up after a dead node. */
    String reaper(String node) {
        return prefix + "reap:" + node;
    }

    /** The pub/sub channel on which a node that saw Redis again says so: what the others stored for want of it may be due. */
    String restoredChannel() {
        return prefix + "restored";
    }

    /** The pub/sub channel carrying stanzas and control frames to a node. */
    String bus(String node) {
        return prefix + "n:" + node + ":bus";
    }

    /** A user's cluster-wide lock (see {@link RedisUserLocks}). */
    String lock(String user) {
        return prefix + "lock:" + user;
    }

    /** The pub/sub channel on which every directory change publishes the bare JID. */
    String directoryChannel() {
        return prefix + "dir";
    }

    /** The pub/sub channel of one feature's cache invalidations (see {@link RedisInvalidations}). */
    String invalidations(String topic) {
        return prefix + "inv:" + topic;
    }
}
