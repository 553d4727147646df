package org.parley.feature.caps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.store.sql.SqlStores;

/** What every {@link CapsStore} must do; subclasses supply empty stores per test. */
abstract class CapsStoreContractTest {

    protected abstract SqlStores stores();

    private CapsStore caps() {
        return new SqlCapsStore(stores().database());
    }

    @Test
    void capsAreStoredOnce() {
        assertThat(caps().features("sha-1", "v1")).isEmpty();
        caps().put("sha-1", "v1", List.of("urn:a", "urn:b+notify"));
        caps().put("sha-1", "v1", List.of("other"));
        assertThat(caps().features("sha-1", "v1")).contains(List.of("urn:a", "urn:b+notify"));
        caps().put("sha-1", "v2", List.of());
        assertThat(caps().features("sha-1", "v2")).contains(List.of());
    }
}
