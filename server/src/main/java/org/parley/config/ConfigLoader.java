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
                1000,
                100_000,
                1000,
                "127.0.0.1",
                5347,
                Map.of(),
                10,
                Duration.ofSeconds(1),
                false,
                256,
                1000,
                65_536,
                Duration.ofSeconds(30),
                true,
                "always",
                50,
                250,
                10_000,
                Duration.ofMillis(500),
                -1,
                Duration.ZERO,
                Duration.ofSeconds(300),
                Duration.ofSeconds(600),
                10,
                Duration.ofSeconds(30),
                1000,
                20_000,
                Duration.ofSeconds(60),
                100,
                1000);
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
                s.duration(ConfigKey.C2S_SEND_TIMEOUT, d.sendTimeout(), Duration.ofMillis(100), Duration.ofDays(1)),
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
                s.integer(ConfigKey.BLOCKING_MAX_ITEMS, d.blockingMaxItems(), 1, 1_000_000, "a positive integer"),
                s.integer(ConfigKey.BLOCKING_CACHE_USERS, d.blockingCacheUsers(), 0, 100_000_000,
                        "an integer of at least 0 (0 = no cache)"),
                s.integer(ConfigKey.ROSTER_VERSION_REMOVALS, d.rosterVersionRemovals(), 0, 1_000_000,
                        "an integer of at least 0"),
                s.text(ConfigKey.COMPONENTS_BIND_ADDRESS, d.componentsBindAddress()),
                s.integer(ConfigKey.COMPONENTS_PORT, d.componentsPort(), 0, MAX_PORT,
                        "a port number 0-65535 (0 = any free port)"),
                componentServices(s, domain),
                s.integer(ConfigKey.PUSH_MAX_REGISTRATIONS, d.pushMaxRegistrations(), 1, 1000,
                        "an integer from 1 to 1000"),
                s.duration(ConfigKey.PUSH_MIN_INTERVAL, d.pushMinInterval(), Duration.ZERO, Duration.ofHours(1)),
                s.bool(ConfigKey.PUSH_INCLUDE_BODY, d.pushIncludeBody()),
                s.integer(ConfigKey.PEP_MAX_ITEMS_PER_NODE, d.pepMaxItemsPerNode(), 1, 100_000, "a positive integer"),
                s.integer(ConfigKey.PEP_MAX_NODES_PER_USER, d.pepMaxNodesPerUser(), 1, 1_000_000, "a positive integer"),
                s.integer(ConfigKey.PEP_MAX_ITEM_BYTES, d.pepMaxItemBytes(), 256, 16 * 1024 * 1024,
                        "an integer of at least 256"),
                s.duration(ConfigKey.CAPS_QUERY_TIMEOUT, d.capsQueryTimeout(), Duration.ofSeconds(1), Duration.ofMinutes(10)),
                s.bool(ConfigKey.ARCHIVE_ENABLED, d.archiveEnabled()),
                archiveMode(s, d.archiveDefaultMode()),
                s.integer(ConfigKey.ARCHIVE_DEFAULT_PAGE_SIZE, d.archiveDefaultPageSize(), 1, 10_000,
                        "a positive integer"),
                s.integer(ConfigKey.ARCHIVE_MAX_PAGE_SIZE, d.archiveMaxPageSize(), 1, 10_000, "a positive integer"),
                s.integer(ConfigKey.ARCHIVE_WRITE_BATCH, d.archiveWriteBatch(), 1, 100_000, "a positive integer"),
                s.duration(ConfigKey.ARCHIVE_WRITE_DELAY, d.archiveWriteDelay(), Duration.ZERO, Duration.ofSeconds(10)),
                // 10 bits of the archive id: two nodes must not share one
                s.integer(ConfigKey.ARCHIVE_NODE_NUMBER, d.archiveNodeNumber(), -1, 1023,
                        "an integer 0-1023, or -1 to derive it from cluster.nodeId"),
                s.duration(ConfigKey.ARCHIVE_RETENTION, d.archiveRetention(), Duration.ZERO, Duration.ofDays(36500)),
                s.duration(ConfigKey.SM_RESUME_TIMEOUT, d.smResumeTimeout(), Duration.ofSeconds(1), Duration.ofDays(1)),
                s.duration(ConfigKey.SM_MAX_RESUME_TIMEOUT, d.smMaxResumeTimeout(), Duration.ofSeconds(1),
                        Duration.ofDays(1)),
                s.integer(ConfigKey.SM_REQUEST_ACK_EVERY, d.smRequestAckEvery(), 1, 1_000_000, "a positive integer"),
                s.duration(ConfigKey.SM_REQUEST_ACK_INTERVAL, d.smRequestAckInterval(), Duration.ofMillis(100),
                        Duration.ofHours(1)),
                s.integer(ConfigKey.SM_MAX_UNACKED, d.smMaxUnacked(), 1, 1_000_000, "a positive integer"),
                s.integer(ConfigKey.SM_MAX_QUEUED, d.smMaxQueued(), 1, 10_000_000, "a positive integer"),
                s.duration(ConfigKey.SM_ACK_TIMEOUT, d.smAckTimeout(), Duration.ofMillis(100), Duration.ofDays(1)),
                s.integer(ConfigKey.CSI_MAX_HELD, d.csiMaxHeld(), 1, 1_000_000, "a positive integer"),
                s.integer(ConfigKey.ARCHIVE_COUNT_LIMIT, d.archiveCountLimit(), 0, Integer.MAX_VALUE,
                        "a non-negative integer"));
    }

    /** XEP-0313 §6.1 default modes. */
    private static String archiveMode(TypedSettings s, String fallback) {
        String mode = s.text(ConfigKey.ARCHIVE_DEFAULT_MODE, fallback);
        if (!mode.equals("always") && !mode.equals("never") && !mode.equals("roster")) {
            throw new ConfigException(ConfigKey.ARCHIVE_DEFAULT_MODE.yamlName(),
                    "must be always, never or roster, got \"" + mode + "\"");
        }
        return mode;
    }

    /**
     * Component domain to shared secret. A component serves a domain of its own: the server's
     * domain (or a second entry for the same domain) would make the router's choice ambiguous.
     */
    private static Map<String, String> componentServices(TypedSettings s, String serverDomain) {
        Map<String, String> services = s.domainMap(ConfigKey.COMPONENTS_SERVICES);
        for (Map.Entry<String, String> e : services.entrySet()) {
            if (e.getKey().equals(serverDomain)) {
                throw new ConfigException(ConfigKey.COMPONENTS_SERVICES.yamlName(),
                        "a component cannot serve the server's own domain " + serverDomain);
            }
            if (e.getValue().isBlank()) {
                throw new ConfigException(ConfigKey.COMPONENTS_SERVICES.yamlName(),
                        "the secret of " + e.getKey() + " must not be empty");
            }
        }
        return services;
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
