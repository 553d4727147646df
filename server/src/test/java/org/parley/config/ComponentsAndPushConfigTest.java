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

/** The components.* keys (with the map-valued components.services) and the push.* keys. */
class ComponentsAndPushConfigTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("parley.yml"), text);
    }

    @Test
    void defaults() {
        Config c = ConfigLoader.load(null, Map.of());
        assertThat(c.componentsPort()).isEqualTo(5347);
        assertThat(c.componentsBindAddress()).isEqualTo("127.0.0.1");
        assertThat(c.componentsServices()).isEmpty();
        assertThat(c.pushMaxRegistrations()).isEqualTo(10);
        assertThat(c.pushMinInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.pushIncludeBody()).isFalse();
    }

    @Test
    void servicesAreAYamlMappingWhoseSecretsMayHoldCommasAndEquals() throws IOException {
        Config c = ConfigLoader.load(yaml("""
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
        assertThat(c.componentsPort()).isEqualTo(5348);
        assertThat(c.componentsBindAddress()).isEqualTo("10.0.0.1");
        assertThat(c.componentsServices()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "push.example.org", "s1,with=odd", "gw.example.org", "s2"));
        assertThat(c.pushMaxRegistrations()).isEqualTo(3);
        assertThat(c.pushMinInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.pushIncludeBody()).isTrue();
    }

    @Test
    void servicesFromTheEnvironmentReplaceTheYamlMapping() throws IOException {
        Config c = ConfigLoader.load(yaml("""
                components:
                  services:
                    old.example.org: x
                """), Map.of("PARLEY_COMPONENTS_SERVICES", "a.example=s1, b.example=s2"));
        assertThat(c.componentsServices()).containsExactlyInAnyOrderEntriesOf(Map.of("a.example", "s1", "b.example", "s2"));
    }

    @Test
    void badServicesNameTheKey() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_COMPONENTS_SERVICES", "a.example")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("components.services")
                .hasMessageContaining("PARLEY_COMPONENTS_SERVICES");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_COMPONENTS_SERVICES", "bad_domain!=s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a valid domain");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_COMPONENTS_SERVICES", "localhost=s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server's own domain");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_COMPONENTS_SERVICES", "a.example=")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("""
                components:
                  services:
                    a.example: [1, 2]
                """), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("components.services.a.example");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("""
                components:
                  services: just-text
                """), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("components.services");
    }

    @Test
    void pushLimitsAreChecked() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_PUSH_MAX_REGISTRATIONS", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("push.maxRegistrations");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_PUSH_MIN_INTERVAL", "2h")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("push.minInterval");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_COMPONENTS_PORT", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("components.port");
    }
}
