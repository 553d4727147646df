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
import org.parley.feature.push.PushModule;

/** The components.* keys (with the map-valued components.services) and the push.* keys. */
class ComponentsAndPushConfigTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("parley.yml"), text);
    }

    @Test
    void defaults() {
        Config c = TestConfigs.load(null, Map.of());
        assertThat(c.components().port()).isEqualTo(5347);
        assertThat(c.components().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(c.components().services()).isEmpty();
        assertThat(c.module("push").get(PushModule.MAX_REGISTRATIONS)).isEqualTo(10);
        assertThat(c.module("push").get(PushModule.MIN_INTERVAL)).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.module("push").get(PushModule.INCLUDE_BODY)).isFalse();
    }

    @Test
    void servicesAreAYamlMappingWhoseSecretsMayHoldCommasAndEquals() throws IOException {
        Config c = TestConfigs.load(yaml("""
                components:
                  port: 5348
                  bindAddress: 10.0.0.1
                  services:
                    Push.Example.org: "s1,with=odd"
                    gw.example.org: s2
                push:
                  maxRegistrations: 3
                  minInterval: 250ms
                  includeBody: true
                """), Map.of());
        assertThat(c.components().port()).isEqualTo(5348);
        assertThat(c.components().bindAddress()).isEqualTo("10.0.0.1");
        assertThat(c.components().services()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "push.example.org", "s1,with=odd", "gw.example.org", "s2"));
        assertThat(c.module("push").get(PushModule.MAX_REGISTRATIONS)).isEqualTo(3);
        assertThat(c.module("push").get(PushModule.MIN_INTERVAL)).isEqualTo(Duration.ofMillis(250));
        assertThat(c.module("push").get(PushModule.INCLUDE_BODY)).isTrue();
    }

    @Test
    void servicesFromTheEnvironmentReplaceTheYamlMapping() throws IOException {
        Config c = TestConfigs.load(yaml("""
                components:
                  services:
                    old.example.org: x
                """), Map.of("PARLEY_COMPONENTS_SERVICES", "a.example=s1, b.example=s2"));
        assertThat(c.components().services()).containsExactlyInAnyOrderEntriesOf(Map.of("a.example", "s1", "b.example", "s2"));
    }

    @Test
    void badServicesNameTheKey() throws IOException {
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_COMPONENTS_SERVICES", "a.example")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("components.services")
                .hasMessageContaining("PARLEY_COMPONENTS_SERVICES");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_COMPONENTS_SERVICES", "bad_domain!=s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a valid domain");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_COMPONENTS_SERVICES", "localhost=s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server's own domain");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_COMPONENTS_SERVICES", "a.example=")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> TestConfigs.load(yaml("""
                components:
                  services:
                    a.example: [1, 2]
                """), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("components.services.a.example");
        assertThatThrownBy(() -> TestConfigs.load(yaml("""
                components:
                  services: just-text
                """), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("components.services");
    }

    @Test
    void pushLimitsAreChecked() {
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_PUSH_MAX_REGISTRATIONS", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("push.maxRegistrations");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_PUSH_MIN_INTERVAL", "2h")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("push.minInterval");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_COMPONENTS_PORT", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("components.port");
    }
}
