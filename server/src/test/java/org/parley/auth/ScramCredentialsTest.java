package org.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScramCredentialsTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void derivedCredentialsHaveAFreshSaltAndKeysOfTheHashLength() {
        ScramCredentials a = ScramCredentials.derive("secret", ScramCredentials.SHA_256, 4096, random);
        ScramCredentials b = ScramCredentials.derive("secret", ScramCredentials.SHA_256, 4096, random);
        assertThat(a.salt()).hasSizeGreaterThanOrEqualTo(16).isNotEqualTo(b.salt());
        assertThat(a.storedKey()).hasSize(32).isNotEqualTo(b.storedKey());
        assertThat(a.serverKey()).hasSize(32);
        assertThat(a.iterations()).isEqualTo(4096);
    }

    @Test
    void deriveAllGivesSha1AndSha256() {
        List<ScramCredentials> all = ScramCredentials.deriveAll("secret", 4096, random);
        assertThat(all).extracting(ScramCredentials::algorithm)
                .containsExactly(ScramCredentials.SHA_1, ScramCredentials.SHA_256);
        assertThat(all.get(0).storedKey()).hasSize(20);
        assertThat(all).allSatisfy(c -> assertThat(c.matches("secret")).isTrue());
    }

    @Test
    void matchesOnlyTheRightPassword() {
        ScramCredentials credentials = ScramCredentials.derive("pencil", ScramCredentials.SHA_1, 4096, random);
        assertThat(credentials.matches("pencil")).isTrue();
        assertThat(credentials.matches("Pencil")).isFalse();
        assertThat(credentials.matches("")).isFalse();
        assertThat(credentials.matches(null)).isFalse();
    }

    @Test
    void passwordIsPreparedAsOpaqueString() {
        // OpaqueString maps non-ASCII spaces to U+0020 and normalizes to NFC.
        ScramCredentials credentials = ScramCredentials.derive("pen cil\u00e9", ScramCredentials.SHA_256, 4096, random);
        assertThat(credentials.matches("pen\u00a0cile\u0301")).isTrue();
    }

    @Test
    void invalidInputsAreRefused() {
        assertThatThrownBy(() -> ScramCredentials.derive("", ScramCredentials.SHA_256, 4096, random))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramCredentials.derive("x", "MD5", 4096, random))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramCredentials.derive("x", ScramCredentials.SHA_1, 0, random))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
