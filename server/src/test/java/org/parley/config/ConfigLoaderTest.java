package org.parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("parley.yml"), text);
    }

    @Test
    void defaultsMatchAFirstStart() {
        Config c = ConfigLoader.load(null, Map.of());
        assertThat(c).isEqualTo(ConfigLoader.defaults());
        assertThat(c.domain()).isEqualTo("localhost");
        assertThat(c.databaseUrl()).isEqualTo("jdbc:sqlite:" + Path.of("./data/parley.db"));
        assertThat(c.c2sPort()).isEqualTo(5222);
        assertThat(c.c2sDirectTlsPort()).isEqualTo(5223);
        assertThat(c.allowPlaintext()).isFalse();
        assertThat(c.tlsCertificate()).isNull();
        assertThat(c.registrationEnabled()).isTrue();
        assertThat(c.pingIdle()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void singleNodeIsTheDefault() {
        Config c = ConfigLoader.load(null, Map.of());
        assertThat(c.clustered()).isFalse();
        assertThat(c.clusterNodeId()).isNull();
        assertThat(c.clusterRedisUrl()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(c.clusterKeyPrefix()).isEqualTo("parley:");
        assertThat(c.clusterNodeTtl()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void readsTheClusterBlock() throws IOException {
        Path file = yaml("""
                database:
                  url: jdbc:postgresql://db/parley
                cluster:
                  nodeId: node-1
                  redisUrl: redis://redis.internal:6380
                  keyPrefix: "chat:"
                  nodeTtl: 15s
                """);
        Config c = ConfigLoader.load(file, Map.of("PARLEY_CLUSTER_NODE_ID", "node-2"));
        assertThat(c.clustered()).isTrue();
        assertThat(c.clusterNodeId()).isEqualTo("node-2");
        assertThat(c.clusterRedisUrl()).isEqualTo("redis://redis.internal:6380");
        assertThat(c.clusterKeyPrefix()).isEqualTo("chat:");
        assertThat(c.clusterNodeTtl()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void clusterModeNeedsPostgresAndASafeNodeId() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_CLUSTER_NODE_ID", "n1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PostgreSQL")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("database.url");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_CLUSTER_NODE_ID", "a b",
                "PARLEY_DATABASE_URL", "jdbc:postgresql://db/parley")))
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("cluster.nodeId");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_CLUSTER_REDIS_URL", "127.0.0.1:6379")))
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("cluster.redisUrl");
    }

    @Test
    void readsNestedYamlKeys() throws IOException {
        Path file = yaml("""
                domain: Example.ORG
                dataDir: /var/lib/parley
                database:
                  poolSize: 4
                c2s:
                  port: 0
                  directTlsPort: -1
                  allowPlaintext: true
                  keepaliveInterval: 90s
                limits:
                  maxStanzaBytes: 65536
                  maxDepth: 16
                auth:
                  saslFailureDelay: 500ms
                  scramIterations: 10000
                ping:
                  idle: 2m
                  timeout: PT45S
                """);
        Config c = ConfigLoader.load(file, Map.of());
        assertThat(c.domain()).isEqualTo("example.org");
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/parley"));
        assertThat(c.databaseUrl()).isEqualTo("jdbc:sqlite:/var/lib/parley/parley.db");
        assertThat(c.databasePoolSize()).isEqualTo(4);
        assertThat(c.c2sPort()).isZero();
        assertThat(c.c2sDirectTlsPort()).isEqualTo(-1);
        assertThat(c.allowPlaintext()).isTrue();
        assertThat(c.keepaliveInterval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.maxStanzaBytes()).isEqualTo(65536);
        assertThat(c.maxDepth()).isEqualTo(16);
        assertThat(c.saslFailureDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.scramIterations()).isEqualTo(10000);
        assertThat(c.pingIdle()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.pingTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.registrationEnabled()).as("closed by default on a public domain").isFalse();
        assertThat(c.offlineMaxPerUser()).isEqualTo(1000);
    }

    @Test
    void environmentBeatsYamlBeatsDefaults() throws IOException {
        Path file = yaml("""
                domain: example.org
                limits:
                  maxStanzaBytes: 1000
                  maxDepth: 10
                """);
        Config c = ConfigLoader.load(file, Map.of(
                "PARLEY_LIMITS_MAX_STANZA_BYTES", "2000",
                "PARLEY_DATABASE_URL", "jdbc:postgresql://db/parley",
                "PARLEY_REGISTRATION_ENABLED", "true",
                "PARLEY_C2S_DIRECT_TLS_PORT", "15223",
                "PARLEY_CONFIG", "ignored: not a key",
                "HOME", "/root"));
        assertThat(c.maxStanzaBytes()).isEqualTo(2000);
        assertThat(c.maxDepth()).isEqualTo(10);
        assertThat(c.domain()).isEqualTo("example.org");
        assertThat(c.databaseUrl()).isEqualTo("jdbc:postgresql://db/parley");
        assertThat(c.registrationEnabled()).isTrue();
        assertThat(c.c2sDirectTlsPort()).isEqualTo(15223);
        assertThat(c.offlineMaxPerUser()).isEqualTo(1000);
    }

    @Test
    void databaseUrlFollowsDataDirFromEnvironment() {
        Config c = ConfigLoader.load(null, Map.of("PARLEY_DATA_DIR", "/tmp/x"));
        assertThat(c.databaseUrl()).isEqualTo("jdbc:sqlite:/tmp/x/parley.db");
    }

    @Test
    void registrationOnLocalhostCanBeTurnedOff() {
        assertThat(ConfigLoader.load(null, Map.of("PARLEY_REGISTRATION_ENABLED", "false")).registrationEnabled())
                .isFalse();
    }

    @Test
    void rejectsNonNumericSizeNamingTheKey() throws IOException {
        Path file = yaml("limits:\n  maxStanzaBytes: abc\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("limits.maxStanzaBytes: must be a positive integer, got \"abc\"")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("limits.maxStanzaBytes");
    }

    @Test
    void environmentErrorsNameKeyAndVariable() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_LIMITS_MAX_DEPTH", "0")))
                .hasMessage("limits.maxDepth: must be a positive integer, got \"0\""
                        + " (from environment variable PARLEY_LIMITS_MAX_DEPTH)");
    }

    @Test
    void rejectsUnknownKeys() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(yaml("limits:\n  maxStanzaByte: 10\n"), Map.of()))
                .hasMessage("limits.maxStanzaByte: unknown key");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("colour: blue\n"), Map.of()))
                .hasMessage("colour: unknown key");
    }

    @Test
    void rejectsWrongShapes() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(yaml("limits: 5\n"), Map.of()))
                .hasMessageStartingWith("limits: must be a mapping");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("domain:\n  a: b\n"), Map.of()))
                .hasMessageStartingWith("domain: must be a single value");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("c2s:\n  allowPlaintext: maybe\n"), Map.of()))
                .hasMessage("c2s.allowPlaintext: must be true or false, got \"maybe\"");
    }

    @Test
    void rejectsOutOfRangeValues() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_C2S_PORT", "70000")))
                .hasMessageStartingWith("c2s.port: must be at most 65535, got \"70000\"");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_C2S_PORT", "-1")))
                .hasMessageStartingWith("c2s.port: must be a port number");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_C2S_DIRECT_TLS_PORT", "-2")))
                .hasMessageStartingWith("c2s.directTlsPort: must be a port number");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_LIMITS_MAX_STANZA_BYTES", "999999999")))
                .hasMessageStartingWith("limits.maxStanzaBytes: must be at most");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_AUTH_SCRAM_ITERATIONS", "100")))
                .hasMessageStartingWith("auth.scramIterations: must be an integer of at least 4096");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_DATABASE_URL", "sqlite:x")))
                .hasMessageStartingWith("database.url: must be a JDBC URL");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_AUTH_MAX_FAILURES", "9")))
                .hasMessageStartingWith("auth.maxFailures: must be at most 5");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_C2S_MAX_QUEUED_STANZAS", "1")))
                .hasMessageStartingWith("c2s.maxQueuedStanzas: must be");
        Config tuned = ConfigLoader.load(null, Map.of("PARLEY_AUTH_MAX_FAILURES", "5",
                "PARLEY_C2S_MAX_QUEUED_STANZAS", "1000"));
        assertThat(tuned.authMaxFailures()).isEqualTo(5);
        assertThat(tuned.maxQueuedStanzas()).isEqualTo(1000);
        assertThat(ConfigLoader.defaults().authMaxFailures()).isEqualTo(3);
    }

    @Test
    void parsesAndChecksDurations() {
        assertThat(ConfigLoader.load(null, Map.of("PARLEY_PING_TIMEOUT", "1h")).pingTimeout())
                .isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_PING_IDLE", "30")))
                .hasMessageStartingWith("ping.idle: must be a duration");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_PING_IDLE", "0s")))
                .hasMessageStartingWith("ping.idle: must be between 1s and 24h, got \"0s\"");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_AUTH_SASL_FAILURE_DELAY", "PTxS")))
                .hasMessageStartingWith("auth.saslFailureDelay: must be a duration");
    }

    @Test
    void domainIsNormalisedAndValidated() {
        assertThat(ConfigLoader.load(null, Map.of("PARLEY_DOMAIN", "Bücher.Example.")).domain())
                .isEqualTo("xn--bcher-kva.example");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_DOMAIN", "bad domain")))
                .hasMessageStartingWith("domain: must be a valid domain name, got \"bad domain\"");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_DOMAIN", "-x.org")))
                .hasMessageStartingWith("domain: must be a valid domain name");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_DOMAIN", "a..b")))
                .hasMessageStartingWith("domain: must be a valid domain name");
    }

    @Test
    void certificateNeedsKeyAndBothMustExist() throws IOException {
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        Path key = Files.writeString(dir.resolve("k.pem"), "x");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_TLS_CERTIFICATE", cert.toString())))
                .hasMessage("tls.key: required when tls.certificate is set");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_TLS_KEY", key.toString())))
                .hasMessage("tls.certificate: required when tls.key is set");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(
                "PARLEY_TLS_CERTIFICATE", cert.toString(), "PARLEY_TLS_KEY", dir.resolve("none").toString())))
                .hasMessageStartingWith("tls.key: must be a readable file");
        Config c = ConfigLoader.load(null, Map.of(
                "PARLEY_TLS_CERTIFICATE", cert.toString(), "PARLEY_TLS_KEY", key.toString()));
        assertThat(c.tlsCertificate()).isEqualTo(cert);
        assertThat(c.tlsKey()).isEqualTo(key);
    }

    @Test
    void unreadableFilesAreReported() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.yml"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config file not found");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("domain: a\ndomain: b\n"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("invalid YAML");
        assertThat(ConfigLoader.load(yaml(""), Map.of())).isEqualTo(ConfigLoader.defaults());
    }
}
