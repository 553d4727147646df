package org.parley.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Builds the one {@link Config} of a server: defaults, then a YAML file, then {@code PARLEY_*}
 * environment variables, each layer overriding the one before. Validates everything up front so
 * a bad value stops the start with a message naming the key, not a failure an hour later.
 */
public final class ConfigLoader {

    static final String DEFAULT_DOMAIN = "localhost";
    static final Path DEFAULT_DATA_DIR = Path.of("./data");

    private static final int MAX_PORT = 65535;

    private ConfigLoader() {
    }

    /** The defaults of a first start: domain localhost, data in ./data, SQLite, self-signed TLS. */
    public static Config defaults() {
        return new Config(
                DEFAULT_DOMAIN,
                DEFAULT_DATA_DIR,
                sqliteUrl(DEFAULT_DATA_DIR),
                8,
                "0.0.0.0",
                5222,
                5223,
                false,
                null,
                null,
                262_144,
                32,
                1000,
                true,
                Duration.ofSeconds(1),
                4096,
                Duration.ofMinutes(5),
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                null,
                "redis://127.0.0.1:6379",
                "parley:",
                Duration.ofSeconds(10),
                3,
                256,
                "127.0.0.1",
                -1,
                Duration.ofSeconds(5),
                Duration.ofSeconds(300),
                Duration.ofSeconds(600),
                10,
                Duration.ofSeconds(30),
                1000,
                100);
    }

    /**
     * @param yamlFileOrNull the operator's YAML file, or {@code null} for defaults and environment only
     * @param env the process environment (only {@code PARLEY_*} entries are read)
     * @throws ConfigException naming the key when a value is unknown, mistyped or out of range
     */
    public static Config load(Path yamlFileOrNull, Map<String, String> env) {
        TypedSettings s = new TypedSettings(RawSettings.read(yamlFileOrNull, env));
        Config d = defaults();

        String domain = s.domain(ConfigKey.DOMAIN, d.domain());
        Path dataDir = s.path(ConfigKey.DATA_DIR, d.dataDir());
        String databaseUrl = s.text(ConfigKey.DATABASE_URL, sqliteUrl(dataDir));
        if (!databaseUrl.startsWith("jdbc:")) {
            throw new ConfigException(ConfigKey.DATABASE_URL.yamlName(),
                    "must be a JDBC URL such as jdbc:sqlite:data/parley.db or jdbc:postgresql://host/db, got \""
                            + databaseUrl + "\"");
        }
        Path certificate = s.existingFile(ConfigKey.TLS_CERTIFICATE);
        Path key = s.existingFile(ConfigKey.TLS_KEY);
        if (certificate != null && key == null) {
            throw new ConfigException(ConfigKey.TLS_KEY.yamlName(), "required when tls.certificate is set");
        }
        if (key != null && certificate == null) {
            throw new ConfigException(ConfigKey.TLS_CERTIFICATE.yamlName(), "required when tls.key is set");
        }
        // Open registration is only a safe default on a server nobody else can reach by name.
        boolean registration = s.bool(ConfigKey.REGISTRATION_ENABLED, DEFAULT_DOMAIN.equals(domain));
        String nodeId = clusterNodeId(s);
        if (nodeId != null && databaseUrl.startsWith("jdbc:sqlite:")) {
            // Every node must see the same accounts, rosters and offline messages.
            throw new ConfigException(ConfigKey.DATABASE_URL.yamlName(),
                    "cluster mode (cluster.nodeId) needs a shared PostgreSQL database such as "
                            + "jdbc:postgresql://db/parley, got \"" + databaseUrl + "\"");
        }
        String redisUrl = s.text(ConfigKey.CLUSTER_REDIS_URL, d.clusterRedisUrl());
        if (!redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
            throw new ConfigException(ConfigKey.CLUSTER_REDIS_URL.yamlName(),
                    "must be a Redis URL such as redis://127.0.0.1:6379, got \"" + redisUrl + "\"");
        }

        return new Config(
                domain,
                dataDir,
                databaseUrl,
                s.integer(ConfigKey.DATABASE_POOL_SIZE, d.databasePoolSize(), 1, 1000, "a positive integer"),
                s.text(ConfigKey.C2S_BIND_ADDRESS, d.bindAddress()),
                s.integer(ConfigKey.C2S_PORT, d.c2sPort(), 0, MAX_PORT, "a port number 0-65535 (0 = any free port)"),
                s.integer(ConfigKey.C2S_DIRECT_TLS_PORT, d.c2sDirectTlsPort(), -1, MAX_PORT,
                        "a port number 0-65535 (0 = any free port) or -1 to disable"),
                s.bool(ConfigKey.C2S_ALLOW_PLAINTEXT, d.allowPlaintext()),
                certificate,
                key,
                s.integer(ConfigKey.LIMITS_MAX_STANZA_BYTES, d.maxStanzaBytes(), 1, 16 * 1024 * 1024,
                        "a positive integer"),
                s.integer(ConfigKey.LIMITS_MAX_DEPTH, d.maxDepth(), 1, 1024, "a positive integer"),
                s.integer(ConfigKey.LIMITS_OFFLINE_MAX_PER_USER, d.offlineMaxPerUser(), 1, 1_000_000,
                        "a positive integer"),
                registration,
                s.duration(ConfigKey.AUTH_SASL_FAILURE_DELAY, d.saslFailureDelay(), Duration.ZERO,
                        Duration.ofMinutes(1)),
                // RFC 7677 §4: at least 4096 iterations.
                s.integer(ConfigKey.AUTH_SCRAM_ITERATIONS, d.scramIterations(), 4096, 10_000_000,
                        "an integer of at least 4096"),
                s.duration(ConfigKey.PING_IDLE, d.pingIdle(), Duration.ofSeconds(1), Duration.ofDays(1)),
                s.duration(ConfigKey.PING_TIMEOUT, d.pingTimeout(), Duration.ofSeconds(1), Duration.ofHours(1)),
                s.duration(ConfigKey.C2S_KEEPALIVE_INTERVAL, d.keepaliveInterval(), Duration.ofSeconds(1),
                        Duration.ofDays(1)),
                nodeId,
                redisUrl,
                s.text(ConfigKey.CLUSTER_KEY_PREFIX, d.clusterKeyPrefix()),
                s.duration(ConfigKey.CLUSTER_NODE_TTL, d.clusterNodeTtl(), Duration.ofSeconds(1), Duration.ofMinutes(10)),
                // RFC 6120 §6.4.5: allow at least 2 and at most 5 attempts per stream.
                s.integer(ConfigKey.AUTH_MAX_FAILURES, d.authMaxFailures(), 2, 5, "an integer from 2 to 5"),
                s.integer(ConfigKey.C2S_MAX_QUEUED_STANZAS, d.maxQueuedStanzas(), 16, 1_000_000,
                        "an integer of at least 16"),
                s.text(ConfigKey.METRICS_BIND_ADDRESS, d.metricsBindAddress()),
                s.integer(ConfigKey.METRICS_PORT, d.metricsPort(), -1, MAX_PORT,
                        "a port number 0-65535 (0 = any free port) or -1 to disable"),
                // Hikari needs at least 250 ms; beyond a minute clients give up first.
                s.duration(ConfigKey.DATABASE_CONNECT_TIMEOUT, d.databaseConnectTimeout(), Duration.ofMillis(250),
                        Duration.ofMinutes(1)),
                s.duration(ConfigKey.SM_RESUME_TIMEOUT, d.smResumeTimeout(), Duration.ofSeconds(1), Duration.ofDays(1)),
                s.duration(ConfigKey.SM_MAX_RESUME_TIMEOUT, d.smMaxResumeTimeout(), Duration.ofSeconds(1),
                        Duration.ofDays(1)),
                s.integer(ConfigKey.SM_REQUEST_ACK_EVERY, d.smRequestAckEvery(), 1, 1_000_000, "a positive integer"),
                s.duration(ConfigKey.SM_REQUEST_ACK_INTERVAL, d.smRequestAckInterval(), Duration.ofMillis(100),
                        Duration.ofHours(1)),
                s.integer(ConfigKey.SM_MAX_UNACKED, d.smMaxUnacked(), 1, 1_000_000, "a positive integer"),
                s.integer(ConfigKey.CSI_MAX_HELD, d.csiMaxHeld(), 1, 1_000_000, "a positive integer"));
    }

    /** The node id goes into Redis keys and values, so it is kept to a safe alphabet. */
    private static String clusterNodeId(TypedSettings s) {
        String id = s.text(ConfigKey.CLUSTER_NODE_ID, null);
        if (id != null && !id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ConfigException(ConfigKey.CLUSTER_NODE_ID.yamlName(),
                    "must be 1-64 letters, digits, '.', '_' or '-', got \"" + id + "\"");
        }
        return id;
    }

    private static String sqliteUrl(Path dataDir) {
        return "jdbc:sqlite:" + dataDir.resolve("parley.db");
    }
}
