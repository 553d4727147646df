package org.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.auth.ScramMessages.utf8;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlainMechanismTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, ScramCredentials> STORE = Map.of(
            "juliet/SHA-256", ScramCredentials.derive("r0m30myr0m30", ScramCredentials.SHA_256, 4096, RANDOM),
            "juliet/SHA-1", ScramCredentials.derive("not the same", ScramCredentials.SHA_1, 4096, RANDOM),
            "romeo/SHA-1", ScramCredentials.derive("capulet", ScramCredentials.SHA_1, 4096, RANDOM));

    private final DecoyCredentials decoys = new DecoyCredentials(RANDOM, 4096);

    private PlainMechanism plain() {
        return new PlainMechanism((username, algorithm) -> Optional.ofNullable(STORE.get(username + "/" + algorithm)),
                "example.com", decoys);
    }

    private static void assertFailure(SaslStep step, SaslFailure condition) {
        assertThat(step).isInstanceOfSatisfying(SaslStep.Failure.class,
                failure -> assertThat(failure.condition()).isEqualTo(condition));
    }

    private static void assertSuccess(SaslStep step, String username) {
        assertThat(step).isInstanceOfSatisfying(SaslStep.Success.class, success -> {
            assertThat(success.username()).isEqualTo(username);
            assertThat(success.additionalData()).isNull();
        });
    }

    @Test
    void correctPasswordSucceedsAgainstSha256Credentials() {
        PlainMechanism mechanism = plain();
        assertThat(mechanism.name()).isEqualTo("PLAIN");
        assertSuccess(mechanism.evaluate(utf8("\0juliet\0r0m30myr0m30")), "juliet");
    }

    @Test
    void sha1CredentialsAreTheFallback() {
        assertSuccess(plain().evaluate(utf8("\0romeo\0capulet")), "romeo");
    }

    @Test
    void usernameIsCaseMapped() {
        assertSuccess(plain().evaluate(utf8("\0Juliet\0r0m30myr0m30")), "juliet");
    }

    @Test
    void ownBareJidAsAuthzidIsAccepted() {
        assertSuccess(plain().evaluate(utf8("juliet@example.com\0juliet\0r0m30myr0m30")), "juliet");
    }

    @Test
    void foreignAuthzidIsRejected() {
        assertFailure(plain().evaluate(utf8("romeo@example.com\0juliet\0r0m30myr0m30")), SaslFailure.INVALID_AUTHZID);
    }

    @Test
    void wrongPasswordIsNotAuthorized() {
        // The SHA-1 entry holds another password: only the preferred SHA-256 credentials count.
        assertFailure(plain().evaluate(utf8("\0juliet\0not the same")), SaslFailure.NOT_AUTHORIZED);
    }

    @Test
    void unknownUserIsNotAuthorized() {
        assertFailure(plain().evaluate(utf8("\0tybalt\0r0m30myr0m30")), SaslFailure.NOT_AUTHORIZED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"juliet", "\0juliet", "\0\0secret", "\0juliet\0", "a\0b\0c\0d"})
    void malformedMessagesAreRejected(String message) {
        assertFailure(plain().evaluate(utf8(message)), SaslFailure.MALFORMED_REQUEST);
    }

    @Test
    void emptyInitialResponseIsSolicitedOnceThenRejected() {
        PlainMechanism mechanism = plain();
        assertThat(mechanism.evaluate(new byte[0])).isInstanceOfSatisfying(SaslStep.Challenge.class,
                challenge -> assertThat(challenge.data()).isEmpty());
        assertFailure(mechanism.evaluate(new byte[0]), SaslFailure.MALFORMED_REQUEST);
    }

    @Test
    void solicitedResponseCanAuthenticate() {
        PlainMechanism mechanism = plain();
        mechanism.evaluate(new byte[0]);
        assertSuccess(mechanism.evaluate(utf8("\0juliet\0r0m30myr0m30")), "juliet");
    }

    @Test
    void invalidUtf8IsIncorrectEncoding() {
        assertFailure(plain().evaluate(new byte[] {0, 'a', 0, (byte) 0xFF}), SaslFailure.INCORRECT_ENCODING);
    }
}
