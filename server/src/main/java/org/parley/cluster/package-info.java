/**
 * Cluster mode: several Parley nodes share one PostgreSQL database (all durable state, through
 * the ordinary stores) and one Redis, which holds only what is live and can be rebuilt.
 *
 * <p>The design (see {@code docs/cluster.md}):
 * <ul>
 *   <li>{@link org.parley.cluster.ClusterDirectory} is the {@link org.parley.route.Directory} of a
 *       node: its own sessions in a local table, everyone's in a Redis hash per user
 *       ({@code <prefix>u:<bareJid>}: resource → node, session id, presence). Changes are made by
 *       Lua scripts (read-old-and-set for binding, so the newest session wins across nodes;
 *       compare-and-delete for unbinding) that publish the bare JID on {@code <prefix>dir}, which
 *       invalidates every node's local cache of remote entries.</li>
 *   <li>{@link org.parley.cluster.RemoteSession} stands for a session on another node, so the
 *       router applies RFC 6121 §8.5 to all resources alike; delivering to it sends a frame over
 *       the {@link org.parley.cluster.NodeBus}: one Redis pub/sub channel per node, frames batched
 *       per target node.</li>
 *   <li>{@link org.parley.cluster.NodeLiveness}: a key per node with a TTL, renewed every third of
 *       it. Entries of a node whose key expired are ignored; stanzas for them go where the RFC
 *       sends stanzas for an absent resource (offline storage for messages). One survivor
 *       ({@link org.parley.cluster.NodeReaper}) deletes them and ends their sessions as if they
 *       had closed there, so contacts hear they left.</li>
 *   <li>{@link org.parley.cluster.RedisInvalidations}: the features' cache invalidations
 *       ({@link org.parley.module.Invalidations}), one channel per topic ({@code <prefix>inv:<name>});
 *       a node that loses Redis drops those caches, since it may have missed keys.</li>
 *   <li>{@link org.parley.cluster.RedisOwnership}: one owner node per named entity
 *       ({@link org.parley.module.Ownership}), a claim {@code <prefix>own:<kind>:<entity>} valid
 *       while its node's liveness key exists, taken over by script only from a dead node; an
 *       owner acts only within its liveness lease, so two nodes never act as owner at once.</li>
 *   <li>There is no membership protocol, hence no split brain: a node that cannot reach Redis
 *       serves its own sessions and routes everything else to offline storage until Redis returns,
 *       then publishes its sessions again.</li>
 * </ul>
 * Protocol rules implemented elsewhere and preserved here: RFC 6120 §7.7.2.2 (resource conflict,
 * newest wins), RFC 6121 §8.5 (delivery rules), RFC 6120 §4.9.3.22 (system-shutdown).
 */
package org.parley.cluster;
