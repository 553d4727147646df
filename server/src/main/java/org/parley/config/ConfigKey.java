package org.parley.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every key an operator may set, by its dotted YAML name; the environment name is derived. */
enum ConfigKey {
    DOMAIN("domain"),
    DATA_DIR("dataDir"),
    DATABASE_URL("database.url"),
    DATABASE_POOL_SIZE("database.poolSize"),
    C2S_BIND_ADDRESS("c2s.bindAddress"),
    C2S_PORT("c2s.port"),
    C2S_DIRECT_TLS_PORT("c2s.directTlsPort"),
    C2S_ALLOW_PLAINTEXT("c2s.allowPlaintext"),
    C2S_KEEPALIVE_INTERVAL("c2s.keepaliveInterval"),
    C2S_SEND_TIMEOUT("c2s.sendTimeout"),
    TLS_CERTIFICATE("tls.certificate"),
    TLS_KEY("tls.key"),
    LIMITS_MAX_STANZA_BYTES("limits.maxStanzaBytes"),
    LIMITS_MAX_DEPTH("limits.maxDepth"),
    LIMITS_OFFLINE_MAX_PER_USER("limits.offlineMaxPerUser"),
    REGISTRATION_ENABLED("registration.enabled"),
    AUTH_SASL_FAILURE_DELAY("auth.saslFailureDelay"),
    AUTH_SCRAM_ITERATIONS("auth.scramIterations"),
    PING_IDLE("ping.idle"),
    PING_TIMEOUT("ping.timeout"),
    CLUSTER_NODE_ID("cluster.nodeId"),
    CLUSTER_REDIS_URL("cluster.redisUrl"),
    CLUSTER_KEY_PREFIX("cluster.keyPrefix"),
    CLUSTER_NODE_TTL("cluster.nodeTtl"),
    AUTH_MAX_FAILURES("auth.maxFailures"),
    C2S_MAX_QUEUED_STANZAS("c2s.maxQueuedStanzas"),
    METRICS_BIND_ADDRESS("metrics.bindAddress"),
    METRICS_PORT("metrics.port"),
    DATABASE_CONNECT_TIMEOUT("database.connectTimeout"),
    BLOCKING_MAX_ITEMS("blocking.maxItems"),
    BLOCKING_CACHE_USERS("blocking.cacheUsers"),
    ROSTER_VERSION_REMOVALS("roster.versionRemovals"),
    COMPONENTS_BIND_ADDRESS("components.bindAddress"),
    COMPONENTS_PORT("components.port"),
    COMPONENTS_SERVICES("components.services", true),
    PUSH_MAX_REGISTRATIONS("push.maxRegistrations"),
    PUSH_MIN_INTERVAL("push.minInterval"),
    PUSH_INCLUDE_BODY("push.includeBody"),
    PEP_MAX_ITEMS_PER_NODE("pep.maxItemsPerNode"),
    PEP_MAX_NODES_PER_USER("pep.maxNodesPerUser"),
    PEP_MAX_ITEM_BYTES("pep.maxItemBytes"),
    CAPS_QUERY_TIMEOUT("caps.queryTimeout"),
    ARCHIVE_ENABLED("archive.enabled"),
    ARCHIVE_DEFAULT_MODE("archive.defaultMode"),
    ARCHIVE_DEFAULT_PAGE_SIZE("archive.defaultPageSize"),
    ARCHIVE_MAX_PAGE_SIZE("archive.maxPageSize"),
    ARCHIVE_WRITE_BATCH("archive.writeBatch"),
    ARCHIVE_WRITE_DELAY("archive.writeDelay"),
    ARCHIVE_NODE_NUMBER("archive.nodeNumber"),
    ARCHIVE_RETENTION("archive.retention"),
    SM_RESUME_TIMEOUT("sm.resumeTimeout"),
    SM_MAX_RESUME_TIMEOUT("sm.maxResumeTimeout"),
    SM_REQUEST_ACK_EVERY("sm.requestAckEvery"),
    SM_REQUEST_ACK_INTERVAL("sm.requestAckInterval"),
    SM_MAX_UNACKED("sm.maxUnacked"),
    SM_MAX_QUEUED("sm.maxQueued"),
    SM_ACK_TIMEOUT("sm.ackTimeout"),
    CSI_MAX_HELD("csi.maxHeld"),
    ARCHIVE_COUNT_LIMIT("archive.countLimit");

    static final String ENV_PREFIX = "PARLEY_";

    private static final Map<String, ConfigKey> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(k -> k.name, Function.identity()));
    private static final Map<String, ConfigKey> BY_ENV =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ConfigKey::envName, Function.identity()));

    private final String name;
    private final boolean map;

    ConfigKey(String name) {
        this(name, false);
    }

    /** @param map true for a key whose value is a mapping (YAML) or {@code k=v,k2=v2} (environment) */
    ConfigKey(String name, boolean map) {
        this.name = name;
        this.map = map;
    }

    boolean isMap() {
        return map;
    }

    /** The dotted YAML name, as error messages show it. */
    String yamlName() {
        return name;
    }

    /** {@code limits.maxStanzaBytes} becomes {@code PARLEY_LIMITS_MAX_STANZA_BYTES}. */
    String envName() {
        return ENV_PREFIX + name.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    static Optional<ConfigKey> byYamlName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    static Optional<ConfigKey> byEnvName(String name) {
        return Optional.ofNullable(BY_ENV.get(name));
    }

    /** True if {@code path} is a section that holds keys, such as {@code limits}. */
    static boolean isSection(String path) {
        String prefix = path + ".";
        return BY_NAME.keySet().stream().anyMatch(n -> n.startsWith(prefix));
    }
}
