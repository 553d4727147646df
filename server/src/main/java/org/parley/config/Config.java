package org.parley.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The server's whole configuration: validated once by {@link ConfigLoader}, immutable after.
 *
 * <p>Every limit the server enforces is a field here with a sane default, so an operator can
 * find and change it in one place. Field names map to YAML keys as written in
 * {@code docs/config.md} (e.g. {@code limits.maxStanzaBytes}).
 */
public record Config(
        String domain,
        Path dataDir,
        String databaseUrl,
        int databasePoolSize,
        String bindAddress,
        int c2sPort,
        int c2sDirectTlsPort,
        boolean allowPlaintext,
        Path tlsCertificate,
        Path tlsKey,
        int maxStanzaBytes,
        int maxDepth,
        int offlineMaxPerUser,
        boolean registrationEnabled,
        Duration saslFailureDelay,
        int scramIterations,
        Duration pingIdle,
        Duration pingTimeout,
        Duration keepaliveInterval,
        Duration sendTimeout,
        String clusterNodeId,
        String clusterRedisUrl,
        String clusterKeyPrefix,
        Duration clusterNodeTtl,
        int authMaxFailures,
        int maxQueuedStanzas,
        // metrics: the Prometheus endpoint (off when the port is -1)
        String metricsBindAddress,
        int metricsPort,
        // database: how long a store call waits for a connection before failing
        Duration databaseConnectTimeout,
        // blocking: XEP-0191 entries per user, and how many users' lists each node caches
        int blockingMaxItems,
        int blockingCacheUsers,
        // roster: XEP-0237 versioning remembers this many removed items per user for deltas
        int rosterVersionRemovals,
        // components: XEP-0114 external components (the listener opens only when a service is configured)
        String componentsBindAddress,
        int componentsPort,
        Map<String, String> componentsServices,
        // push: XEP-0357 push notifications
        int pushMaxRegistrations,
        Duration pushMinInterval,
        boolean pushIncludeBody,
        // pep: limits of personal eventing (XEP-0163) nodes; caps: how long a disco#info query for capabilities may take
        int pepMaxItemsPerNode,
        int pepMaxNodesPerUser,
        int pepMaxItemBytes,
        Duration capsQueryTimeout,
        // archive: XEP-0313 message archive (mam): on/off, default preference, paging limits,
        // group-commit batch, id node component (-1 = derive), retention (zero = forever)
        boolean archiveEnabled,
        String archiveDefaultMode,
        int archiveDefaultPageSize,
        int archiveMaxPageSize,
        int archiveWriteBatch,
        java.time.Duration archiveWriteDelay,
        int archiveNodeNumber,
        Duration archiveRetention,
        // sm: XEP-0198 stream management (resumption window, ack requests, unacked limit)
        Duration smResumeTimeout,
        Duration smMaxResumeTimeout,
        int smRequestAckEvery,
        Duration smRequestAckInterval,
        int smMaxUnacked,
        int smMaxQueued,
        Duration smAckTimeout,
        // csi: XEP-0352 client state indication (stanzas held while the client is inactive)
        int csiMaxHeld,
        // archive: the RSM count is given for result sets of at most this many messages
        int archiveCountLimit) {

    public Config {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(databaseUrl, "databaseUrl");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(clusterRedisUrl, "clusterRedisUrl");
        Objects.requireNonNull(clusterKeyPrefix, "clusterKeyPrefix");
        Objects.requireNonNull(clusterNodeTtl, "clusterNodeTtl");
        Objects.requireNonNull(metricsBindAddress, "metricsBindAddress");
        Objects.requireNonNull(databaseConnectTimeout, "databaseConnectTimeout");
        Objects.requireNonNull(componentsBindAddress, "componentsBindAddress");
        componentsServices = Map.copyOf(componentsServices);
        Objects.requireNonNull(pushMinInterval, "pushMinInterval");
        Objects.requireNonNull(capsQueryTimeout, "capsQueryTimeout");
        Objects.requireNonNull(archiveDefaultMode, "archiveDefaultMode");
        Objects.requireNonNull(archiveRetention, "archiveRetention");
    }

    /** True when {@code cluster.nodeId} is set: sessions are shared through Redis (see docs/cluster.md). */
    public boolean clustered() {
        return clusterNodeId != null;
    }

    /** The defaults of a first start: domain localhost, data in ./data, SQLite. */
    public static Config defaults() {
        return ConfigLoader.defaults();
    }
}
