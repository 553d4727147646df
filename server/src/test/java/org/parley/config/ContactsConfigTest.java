package org.parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.feature.blocking.BlockingModule;
import org.parley.feature.roster.RosterModule;

/** The keys of blocking (XEP-0191) and roster versioning (XEP-0237): defaults, overrides, bounds. */
class ContactsConfigTest {

    @Test
    void defaults() {
        Config c = TestConfigs.load(null, Map.of());
        assertThat(c.module("blocking").get(BlockingModule.MAX_ITEMS)).isEqualTo(1000);
        assertThat(c.module("blocking").get(BlockingModule.CACHE_USERS)).isEqualTo(100_000);
        assertThat(c.module("roster").get(RosterModule.VERSION_REMOVALS)).isEqualTo(1000);
    }

    @Test
    void environmentOverrides() {
        Config c = TestConfigs.load(null, Map.of("PARLEY_BLOCKING_MAX_ITEMS", "50",
                "PARLEY_BLOCKING_CACHE_USERS", "0", "PARLEY_ROSTER_VERSION_REMOVALS", "10"));
        assertThat(c.module("blocking").get(BlockingModule.MAX_ITEMS)).isEqualTo(50);
        assertThat(c.module("blocking").get(BlockingModule.CACHE_USERS)).isZero();
        assertThat(c.module("roster").get(RosterModule.VERSION_REMOVALS)).isEqualTo(10);
    }

    @Test
    void outOfRangeValuesNameTheKey() {
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_BLOCKING_MAX_ITEMS", "0")))
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("blocking.maxItems");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_BLOCKING_CACHE_USERS", "-1")))
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("blocking.cacheUsers");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_ROSTER_VERSION_REMOVALS", "x")))
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("roster.versionRemovals");
    }
}
