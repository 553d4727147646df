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
import org.parley.feature.offline.OfflineModule;
import org.parley.feature.register.RegisterModule;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("parley.yml"), text);
    }

    @Test
    void defaultsMatchAFirstStart() {
        Config c = TestConfigs.load(null, Map.of());
        assertThat(c.domain()).isEqualTo("localhost");
        assertThat(c.database().url()).isEqualTo("jdbc:sqlite:" + Path.of("./data/parley.db"));
        assertThat(c.c2s().port()).isEqualTo(5222);
        assertThat(c.c2s().directTlsPort()).isEqualTo(5223);
        assertThat(c.c2s().allowPlaintext()).isFalse();
        assertThat(c.tls().certificate()).isNull();
        assertThat(c.module("registration").get(RegisterModule.ENABLED))
                .as("unset: the module opens registration on localhost only").isNull();
        assertThat(c.ping().idle()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void singleNodeIsTheDefault() {
        Config c = TestConfigs.load(null, Map.of());
        assertThat(c.cluster().clustered()).isFalse();
        assertThat(c.cluster().nodeId()).isNull();
        assertThat(c.cluster().redisUrl()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(c.cluster().keyPrefix()).isEqualTo("parley:");
        assertThat(c.cluster().nodeTtl()).isEqualTo(Duration.ofSeconds(10));
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
        Config c = TestConfigs.load(file, Map.of("PARLEY_CLUSTER_NODE_ID", "node-2"));
        assertThat(c.cluster().clustered()).isTrue();
        assertThat(c.cluster().nodeId()).isEqualTo("node-2");
        assertThat(c.cluster().redisUrl()).isEqualTo("redis://redis.internal:6380");
        assertThat(c.cluster().keyPrefix()).isEqualTo("chat:");
        assertThat(c.cluster().nodeTtl()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void clusterModeNeedsPostgresAndASafeNodeId() {
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_CLUSTER_NODE_ID", "n1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PostgreSQL")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("database.url");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_CLUSTER_NODE_ID", "a b",
                "PARLEY_DATABASE_URL", "jdbc:postgresql://db/parley")))
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("cluster.nodeId");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_CLUSTER_REDIS_URL", "127.0.0.1:6379")))
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
        Config c = TestConfigs.load(file, Map.of());
        assertThat(c.domain()).isEqualTo("example.org");
        assertThat(c.server().dataDir()).isEqualTo(Path.of("/var/lib/parley"));
        assertThat(c.database().url()).isEqualTo("jdbc:sqlite:/var/lib/parley/parley.db");
        assertThat(c.database().poolSize()).isEqualTo(4);
        assertThat(c.c2s().port()).isZero();
        assertThat(c.c2s().directTlsPort()).isEqualTo(-1);
        assertThat(c.c2s().allowPlaintext()).isTrue();
        assertThat(c.c2s().keepaliveInterval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.limits().maxStanzaBytes()).isEqualTo(65536);
        assertThat(c.limits().maxDepth()).isEqualTo(16);
        assertThat(c.auth().saslFailureDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.auth().scramIterations()).isEqualTo(10000);
        assertThat(c.ping().idle()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.ping().timeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.module("registration").get(RegisterModule.ENABLED))
                .as("unset: closed on a public domain by the module").isNull();
        assertThat(c.module("offline").get(OfflineModule.MAX_PER_USER)).isEqualTo(1000);
    }

    @Test
    void environmentBeatsYamlBeatsDefaults() throws IOException {
        Path file = yaml("""
                domain: example.org
                limits:
                  maxStanzaBytes: 1000
                  maxDepth: 10
                """);
        Config c = TestConfigs.load(file, Map.of(
                "PARLEY_LIMITS_MAX_STANZA_BYTES", "2000",
                "PARLEY_DATABASE_URL", "jdbc:postgresql://db/parley",
                "PARLEY_REGISTRATION_ENABLED", "true",
                "PARLEY_C2S_DIRECT_TLS_PORT", "15223",
                "PARLEY_CONFIG", "ignored: not a key",
                "HOME", "/root"));
        assertThat(c.limits().maxStanzaBytes()).isEqualTo(2000);
        assertThat(c.limits().maxDepth()).isEqualTo(10);
        assertThat(c.domain()).isEqualTo("example.org");
        assertThat(c.database().url()).isEqualTo("jdbc:postgresql://db/parley");
        assertThat(c.module("registration").get(RegisterModule.ENABLED)).isTrue();
        assertThat(c.c2s().directTlsPort()).isEqualTo(15223);
        assertThat(c.module("offline").get(OfflineModule.MAX_PER_USER)).isEqualTo(1000);
    }

    @Test
    void databaseUrlFollowsDataDirFromEnvironment() {
        Config c = TestConfigs.load(null, Map.of("PARLEY_DATA_DIR", "/tmp/x"));
        assertThat(c.database().url()).isEqualTo("jdbc:sqlite:/tmp/x/parley.db");
    }

    @Test
    void registrationOnLocalhostCanBeTurnedOff() {
        assertThat(TestConfigs.load(null, Map.of("PARLEY_REGISTRATION_ENABLED", "false")).module("registration")
                .get(RegisterModule.ENABLED))
                .isFalse();
    }

    @Test
    void rejectsNonNumericSizeNamingTheKey() throws IOException {
        Path file = yaml("limits:\n  maxStanzaBytes: abc\n");
        assertThatThrownBy(() -> TestConfigs.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("limits.maxStanzaBytes: must be a positive integer, got \"abc\"")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("limits.maxStanzaBytes");
    }

    @Test
    void environmentErrorsNameKeyAndVariable() {
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_LIMITS_MAX_DEPTH", "0")))
                .hasMessage("limits.maxDepth: must be a positive integer, got \"0\""
                        + " (from environment variable PARLEY_LIMITS_MAX_DEPTH)");
    }

    @Test
    void rejectsUnknownKeys() throws IOException {
        assertThatThrownBy(() -> TestConfigs.load(yaml("limits:\n  maxStanzaByte: 10\n"), Map.of()))
                .hasMessage("limits.maxStanzaByte: unknown key");
        assertThatThrownBy(() -> TestConfigs.load(yaml("colour: blue\n"), Map.of()))
                .hasMessage("colour: unknown key");
    }

    @Test
    void rejectsWrongShapes() throws IOException {
        assertThatThrownBy(() -> TestConfigs.load(yaml("limits: 5\n"), Map.of()))
                .hasMessageStartingWith("limits: must be a mapping");
        assertThatThrownBy(() -> TestConfigs.load(yaml("domain:\n  a: b\n"), Map.of()))
                .hasMessageStartingWith("domain: must be a single value");
        assertThatThrownBy(() -> TestConfigs.load(yaml("c2s:\n  allowPlaintext: maybe\n"), Map.of()))
                .hasMessage("c2s.allowPlaintext: must be true or false, got \"maybe\"");
    }

    @Test
    void rejectsOutOfRangeValues() {
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_C2S_PORT", "70000")))
                .hasMessageStartingWith("c2s.port: must be at most 65535, got \"70000\"");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_C2S_PORT", "-1")))
                .hasMessageStartingWith("c2s.port: must be a port number");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_C2S_DIRECT_TLS_PORT", "-2")))
                .hasMessageStartingWith("c2s.directTlsPort: must be a port number");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_LIMITS_MAX_STANZA_BYTES", "999999999")))
                .hasMessageStartingWith("limits.maxStanzaBytes: must be at most");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_AUTH_SCRAM_ITERATIONS", "100")))
                .hasMessageStartingWith("auth.scramIterations: must be an integer of at least 4096");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_DATABASE_URL", "sqlite:x")))
                .hasMessageStartingWith("database.url: must be a JDBC URL");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_AUTH_MAX_FAILURES", "9")))
                .hasMessageStartingWith("auth.maxFailures: must be at most 5");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_C2S_MAX_QUEUED_STANZAS", "1")))
                .hasMessageStartingWith("c2s.maxQueuedStanzas: must be");
        Config tuned = TestConfigs.load(null, Map.of("PARLEY_AUTH_MAX_FAILURES", "5",
                "PARLEY_C2S_MAX_QUEUED_STANZAS", "1000"));
        assertThat(tuned.auth().maxFailures()).isEqualTo(5);
        assertThat(tuned.c2s().maxQueuedStanzas()).isEqualTo(1000);
        assertThat(TestConfigs.load(null, Map.of()).auth().maxFailures()).isEqualTo(3);
    }

    @Test
    void parsesAndChecksDurations() {
        assertThat(TestConfigs.load(null, Map.of("PARLEY_PING_TIMEOUT", "1h")).ping().timeout())
                .isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_PING_IDLE", "30")))
                .hasMessageStartingWith("ping.idle: must be a duration");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_PING_IDLE", "0s")))
                .hasMessageStartingWith("ping.idle: must be between 1s and 24h, got \"0s\"");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_AUTH_SASL_FAILURE_DELAY", "PTxS")))
                .hasMessageStartingWith("auth.saslFailureDelay: must be a duration");
    }

    @Test
    void domainIsNormalisedAndValidated() {
        assertThat(TestConfigs.load(null, Map.of("PARLEY_DOMAIN", "Bücher.Example.")).domain())
                .isEqualTo("xn--bcher-kva.example");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_DOMAIN", "bad domain")))
                .hasMessageStartingWith("domain: must be a valid domain name, got \"bad domain\"");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_DOMAIN", "-x.org")))
                .hasMessageStartingWith("domain: must be a valid domain name");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_DOMAIN", "a..b")))
                .hasMessageStartingWith("domain: must be a valid domain name");
    }

    @Test
    void certificateNeedsKeyAndBothMustExist() throws IOException {
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        Path key = Files.writeString(dir.resolve("k.pem"), "x");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_TLS_CERTIFICATE", cert.toString())))
                .hasMessage("tls.key: required when tls.certificate is set");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_TLS_KEY", key.toString())))
                .hasMessage("tls.certificate: required when tls.key is set");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of(
                "PARLEY_TLS_CERTIFICATE", cert.toString(), "PARLEY_TLS_KEY", dir.resolve("none").toString())))
                .hasMessageStartingWith("tls.key: must be a readable file");
        Config c = TestConfigs.load(null, Map.of(
                "PARLEY_TLS_CERTIFICATE", cert.toString(), "PARLEY_TLS_KEY", key.toString()));
        assertThat(c.tls().certificate()).isEqualTo(cert);
        assertThat(c.tls().key()).isEqualTo(key);
    }

    @Test
    void unreadableFilesAreReported() throws IOException {
        assertThatThrownBy(() -> TestConfigs.load(dir.resolve("missing.yml"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config file not found");
        assertThatThrownBy(() -> TestConfigs.load(yaml("domain: a\ndomain: b\n"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("invalid YAML");
        assertThat(TestConfigs.load(yaml(""), Map.of())).isEqualTo(TestConfigs.load(null, Map.of()));
    }
}
