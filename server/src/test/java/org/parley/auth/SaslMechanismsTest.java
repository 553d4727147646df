package org.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.auth.ScramClient.SaltedPasswords.NONE;
import static org.parley.auth.ScramMessages.utf8;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SaslMechanismsTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, ScramCredentials> STORE = Map.of(
            ScramCredentials.SHA_1, ScramCredentials.derive("pencil", ScramCredentials.SHA_1, 4096, RANDOM),
            ScramCredentials.SHA_256, ScramCredentials.derive("pencil", ScramCredentials.SHA_256, 4096, RANDOM));

    private final SaslMechanisms mechanisms = new SaslMechanisms(
            (username, algorithm) -> username.equals("user") ? Optional.ofNullable(STORE.get(algorithm)) : Optional.empty(),
            "example.com");

    @Test
    void plainIsOfferedOnlyOnSecureStreams() {
        assertThat(mechanisms.offered(false)).containsExactly("SCRAM-SHA-256", "SCRAM-SHA-1");
        assertThat(mechanisms.offered(true)).containsExactly("SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
    }

    @Test
    void createdMechanismsCarryTheirNames() {
        for (String name : mechanisms.offered(true)) {
            assertThat(mechanisms.create(name, true)).get().extracting(SaslMechanism::name).isEqualTo(name);
        }
    }

    @Test
    void plainOnAnInsecureStreamIsNotCreatedAndNeedsEncryption() {
        assertThat(mechanisms.create("PLAIN", false)).isEmpty();
        assertThat(mechanisms.requiresEncryption("PLAIN")).isTrue();
        assertThat(mechanisms.requiresEncryption("SCRAM-SHA-1")).isFalse();
    }

    @Test
    void unknownMechanismsAreNotCreated() {
        assertThat(mechanisms.create("DIGEST-MD5", true)).isEmpty();
        assertThat(mechanisms.create("scram-sha-1", true)).isEmpty();
        assertThat(mechanisms.create("SCRAM-SHA-1-PLUS", true)).isEmpty();
        assertThat(mechanisms.requiresEncryption("DIGEST-MD5")).isFalse();
    }

    @Test
    void fullScramExchangeWithProductionNonces() {
        for (String name : new String[] {"SCRAM-SHA-256", "SCRAM-SHA-1"}) {
            SaslMechanism mechanism = mechanisms.create(name, false).orElseThrow();
            String algorithm = name.equals("SCRAM-SHA-1") ? ScramCredentials.SHA_1 : ScramCredentials.SHA_256;
            ScramClient client = new ScramClient(algorithm, "n,,", "user", "pencil", "clientnonce", NONE);
            byte[] serverFirst = ((SaslStep.Challenge) mechanism.evaluate(client.clientFirst())).data();
            String nonce = ScramMessages.attributes(new String(serverFirst, StandardCharsets.UTF_8)).get("r");
            assertThat(nonce).startsWith("clientnonce").hasSize("clientnonce".length() + 32);
            assertThat(mechanism.evaluate(client.clientFinal(serverFirst)))
                    .isInstanceOf(SaslStep.Success.class);
        }
    }

    @Test
    void unknownUserSeesTheSameSaltOnEveryAttempt() {
        String first = serverFirstSalt("ghost");
        assertThat(serverFirstSalt("ghost")).isEqualTo(first);
        assertThat(serverFirstSalt("Ghost")).isEqualTo(first);
        assertThat(serverFirstSalt("phantom")).isNotEqualTo(first);
    }

    private String serverFirstSalt(String username) {
        SaslMechanism mechanism = mechanisms.create("SCRAM-SHA-256", false).orElseThrow();
        byte[] data = ((SaslStep.Challenge) mechanism.evaluate(utf8("n,,n=" + username + ",r=abc"))).data();
        return ScramMessages.attributes(new String(data, StandardCharsets.UTF_8)).get("s");
    }

    @Test
    void failureConditionsHaveTheirElementNames() {
        assertThat(SaslFailure.NOT_AUTHORIZED.elementName()).isEqualTo("not-authorized");
        assertThat(SaslFailure.ENCRYPTION_REQUIRED.elementName()).isEqualTo("encryption-required");
        assertThat(SaslFailure.TEMPORARY_AUTH_FAILURE.elementName()).isEqualTo("temporary-auth-failure");
        assertThat(SaslFailure.values()).hasSize(11);
    }
}
