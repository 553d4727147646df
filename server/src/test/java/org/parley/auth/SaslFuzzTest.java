package org.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The server side of SCRAM-SHA-1, SCRAM-SHA-256 and PLAIN against arbitrary client messages: each
 * step answers a challenge, success or failure and never throws, and success comes only with the
 * account's password (PLAIN) or proof (SCRAM), for the account that exists.
 *
 * <p>An input is the mechanism name, then the client's messages, separated by line feeds (SCRAM
 * messages hold none; PLAIN's NUL separators pass through). Nonces are fixed, so a seed can hold
 * a whole successful exchange for the fuzzer to vary.
 */
class SaslFuzzTest {
    static final String PASSWORD = "pencil";
    static final String SERVER_NONCE = "3rfcNHYJY1ZVvWVs7j";
    private static final byte[] SALT = "salt-for-fuzzing".getBytes(StandardCharsets.UTF_8);
    private static final List<ScramCredentials> CREDENTIALS = List.of(
            ScramCredentials.derive(PASSWORD, ScramCredentials.SHA_1, 1, SALT),
            ScramCredentials.derive(PASSWORD, ScramCredentials.SHA_256, 1, SALT));
    private static final CredentialLookup USERS = (username, algorithm) -> "user".equals(username)
            ? CREDENTIALS.stream().filter(c -> c.algorithm().equals(algorithm)).findFirst() : Optional.empty();
    private static final DecoyCredentials DECOYS = new DecoyCredentials(new SecureRandom(), 1);

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"SCRAM-SHA-1", "SCRAM-SHA-256", "PLAIN", "n,,", "y,,", "p=tls-unique,,", "n=user",
            ",r=", ",s=", ",i=", "c=biws", ",p=", "a=", "=2C", "=3D", "pencil", "user@example.com"})
    void exchange(byte[] input) {
        List<byte[]> lines = split(input);
        String name = new String(lines.get(0), StandardCharsets.UTF_8);
        SaslMechanism mechanism = switch (name) {
            case "SCRAM-SHA-1" -> new ScramMechanism(ScramCredentials.SHA_1, USERS, "example.com", () -> SERVER_NONCE,
                    DECOYS);
            case "SCRAM-SHA-256" -> new ScramMechanism(ScramCredentials.SHA_256, USERS, "example.com",
                    () -> SERVER_NONCE, DECOYS);
            default -> new PlainMechanism(USERS, "example.com", DECOYS);
        };
        for (byte[] message : lines.subList(1, lines.size())) {
            SaslStep step = mechanism.evaluate(message);
            assertThat(step).isNotNull();
            if (step instanceof SaslStep.Success success) {
                assertThat(success.username()).isEqualTo("user");
                if (mechanism instanceof PlainMechanism) {
                    String text = new String(message, StandardCharsets.UTF_8);
                    assertThat(text.substring(text.lastIndexOf('\0') + 1)).isEqualTo(PASSWORD);
                } else {
                    assertThat(success.additionalData()).isNotNull();
                }
                return;
            }
            if (step instanceof SaslStep.Failure) {
                return;
            }
        }
    }

    private static List<byte[]> split(byte[] input) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= input.length; i++) {
            if (i == input.length || input[i] == '\n') {
                out.add(Arrays.copyOfRange(input, start, i));
                start = i + 1;
            }
        }
        return out;
    }
}
