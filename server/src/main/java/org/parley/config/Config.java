package org.parley.config;

import java.nio.file.Path;
import java.time.Duration;
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
        // sm: XEP-0198 stream management (resumption window, ack requests, unacked limit)
        Duration smResumeTimeout,
        Duration smMaxResumeTimeout,
        int smRequestAckEvery,
        Duration smRequestAckInterval,
        int smMaxUnacked,
        // csi: XEP-0352 client state indication (stanzas held while the client is inactive)
        int csiMaxHeld) {

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
