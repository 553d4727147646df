package org.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsernamesTest {

    @Test
    void caseIsMapped() {
        assertThat(Usernames.prepare("User")).isEqualTo("user");
        assertThat(Usernames.prepare("JULIET")).isEqualTo(Usernames.prepare("juliet"));
    }

    @Test
    void fullwidthIsMappedToItsDecomposition() {
        assertThat(Usernames.prepare("\uff2a\uff55\uff4c\uff49\uff45\uff54")).isEqualTo("juliet");
    }

    @Test
    void longestAllowedNameIsAccepted() {
        assertThat(Usernames.prepare("a".repeat(1023))).hasSize(1023);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "two words", "tab\tname"})
    void invalidNamesAreRejected(String raw) {
        assertThatThrownBy(() -> Usernames.prepare(raw)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesOver1023OctetsAreRejected() {
        assertThatThrownBy(() -> Usernames.prepare("a".repeat(1024))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Usernames.prepare("\u00e9".repeat(512))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> Usernames.prepare(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
