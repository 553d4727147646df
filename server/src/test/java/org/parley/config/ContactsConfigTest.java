package org.parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The keys of blocking (XEP-0191) and roster versioning (XEP-0237): defaults, overrides, bounds. */
class ContactsConfigTest {

    @Test
    void defaults() {
        Config c = ConfigLoader.load(null, Map.of());
        assertThat(c.blockingMaxItems()).isEqualTo(1000);
        assertThat(c.blockingCacheUsers()).isEqualTo(100_000);
        assertThat(c.rosterVersionRemovals()).isEqualTo(1000);
    }

    @Test
    void environmentOverrides() {
        Config c = ConfigLoader.load(null, Map.of("PARLEY_BLOCKING_MAX_ITEMS", "50",
                "PARLEY_BLOCKING_CACHE_USERS", "0", "PARLEY_ROSTER_VERSION_REMOVALS", "10"));
        assertThat(c.blockingMaxItems()).isEqualTo(50);
        assertThat(c.blockingCacheUsers()).isZero();
        assertThat(c.rosterVersionRemovals()).isEqualTo(10);
    }

    @Test
    void outOfRangeValuesNameTheKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_BLOCKING_MAX_ITEMS", "0")))
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("blocking.maxItems");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_BLOCKING_CACHE_USERS", "-1")))
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("blocking.cacheUsers");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PARLEY_ROSTER_VERSION_REMOVALS", "x")))
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("roster.versionRemovals");
    }
}
