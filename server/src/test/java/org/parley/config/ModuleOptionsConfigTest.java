package org.parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.feature.mam.MamOptions;
import org.parley.feature.offline.OfflineModule;
import org.parley.feature.sm.SmOptions;

/** Modules' sections are checked like the core's: unknown keys, bad and out-of-bounds values, defaults. */
class ModuleOptionsConfigTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("parley.yml"), text);
    }

    @Test
    void aModuleOptionsDefaultAppliesWhenNothingIsGiven() {
        Config c = TestConfigs.load(null, Map.of());
        assertThat(c.module("archive").get(MamOptions.MAX_PAGE_SIZE)).isEqualTo(250);
        assertThat(c.module("archive").get(MamOptions.DEFAULT_MODE)).isEqualTo("always");
        assertThat(c.module("sm").get(SmOptions.RESUME_TIMEOUT)).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.module("offline").get(OfflineModule.MAX_PER_USER)).isEqualTo(1000);
    }

    @Test
    void aModuleSectionIsReadFromYamlAndTheEnvironmentWins() throws IOException {
        Config c = TestConfigs.load(yaml("""
                archive:
                  maxPageSize: 100
                  defaultMode: ROSTER
                sm:
                  resumeTimeout: 90s
                """), Map.of("PARLEY_ARCHIVE_MAX_PAGE_SIZE", "120"));
        assertThat(c.module("archive").get(MamOptions.MAX_PAGE_SIZE)).isEqualTo(120);
        assertThat(c.module("archive").get(MamOptions.DEFAULT_MODE)).as("read as the choice is spelt")
                .isEqualTo("roster");
        assertThat(c.module("sm").get(SmOptions.RESUME_TIMEOUT)).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void anUnknownKeyInAModuleSectionStopsTheStart() throws IOException {
        assertThatThrownBy(() -> TestConfigs.load(yaml("archive:\n  maxPageSizes: 5\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("archive.maxPageSizes: unknown key")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("archive.maxPageSizes");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_ARCHIVE_MAX_PAGE_SIZES", "5")))
                .isInstanceOf(ConfigException.class).hasMessage("PARLEY_ARCHIVE_MAX_PAGE_SIZES: unknown key");
    }

    @Test
    void environmentVariablesOutsideEverySectionAreTheLaunchersOwn() {
        Config c = TestConfigs.load(null, Map.of("PARLEY_JAVA_OPTS", "-Xmx1g", "PARLEY_RUN_DIR", "/tmp/x",
                "PARLEY_DIRECT_TLS_PORT", "5223", "PARLEY_CONFIG", "x"));
        assertThat(c).isEqualTo(TestConfigs.load(null, Map.of()));
    }

    @Test
    void aBadModuleValueNamesTheKeyFromYamlAndFromTheEnvironment() throws IOException {
        assertThatThrownBy(() -> TestConfigs.load(yaml("archive:\n  maxPageSize: lots\n"), Map.of()))
                .hasMessage("archive.maxPageSize: must be a positive integer, got \"lots\"");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_SM_RESUME_TIMEOUT", "forever")))
                .hasMessage("sm.resumeTimeout: must be a duration such as 500ms, 30s, 5m, 1h or ISO-8601 PT30S,"
                        + " got \"forever\" (from environment variable PARLEY_SM_RESUME_TIMEOUT)");
        assertThatThrownBy(() -> TestConfigs.load(yaml("archive:\n  defaultMode: sometimes\n"), Map.of()))
                .hasMessage("archive.defaultMode: must be always, never or roster, got \"sometimes\"");
        assertThatThrownBy(() -> TestConfigs.load(yaml("archive:\n  enabled: [true]\n"), Map.of()))
                .hasMessage("archive.enabled: must be a single value, got a list");
    }

    @Test
    void anOutOfBoundsModuleValueSaysTheBound() {
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_ARCHIVE_MAX_PAGE_SIZE", "10001")))
                .hasMessageStartingWith("archive.maxPageSize: must be at most 10000, got \"10001\"");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_ARCHIVE_NODE_NUMBER", "-2")))
                .hasMessageStartingWith("archive.nodeNumber: must be an integer 0-1023, or -1 to derive it");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_SM_ACK_TIMEOUT", "10ms")))
                .hasMessageStartingWith("sm.ackTimeout: must be between 100ms and 24h, got \"10ms\"");
    }

    @Test
    void aMovedKeyIsRefusedWithItsNewName() throws IOException {
        assertThatThrownBy(() -> TestConfigs.load(yaml("limits:\n  offlineMaxPerUser: 5\n"), Map.of()))
                .hasMessage("limits.offlineMaxPerUser: unknown key: it is now offline.maxPerUser");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_LIMITS_OFFLINE_MAX_PER_USER", "5")))
                .hasMessage("PARLEY_LIMITS_OFFLINE_MAX_PER_USER: unknown key: it is now offline.maxPerUser"
                        + " (PARLEY_OFFLINE_MAX_PER_USER)");
        assertThat(TestConfigs.load(null, Map.of("PARLEY_OFFLINE_MAX_PER_USER", "5")).module("offline")
                .get(OfflineModule.MAX_PER_USER)).isEqualTo(5);
    }

    @Test
    void withoutAModulesSectionItsKeysAreUnknown() throws IOException {
        Path file = yaml("archive:\n  maxPageSize: 100\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), List.of()))
                .hasMessage("archive: unknown key");
        Config core = ConfigLoader.load(null, Map.of(), List.of());
        assertThatThrownBy(() -> core.module("archive")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sectionsMayNotCollide() {
        Option<Integer> port = Option.integer("port", 1, 1, 10, "a test option");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(Section.of("c2s", port))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c2s");
        Section a = Section.of("echo", port);
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(a, Section.of("echo", port))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("echo");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(),
                List.of(Section.of("echoPort", port), Section.of("echo", Option.integer("portPort", 1, 1, 2, "x")))))
                .as("two keys, one environment name").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOptionsDefaultMustKeepItsOwnBounds() {
        assertThatThrownBy(() -> Option.integer("size", 0, 1, 10, "a test option"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Option.text("url", "x", "a test option").check(u -> u.startsWith("y"), "a y"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Option.integer("Size", 1, 1, 10, "not lowerCamelCase"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
