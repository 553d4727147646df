package org.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.auth.ScramMessages.utf8;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The client half against the RFCs' own example exchanges, and against the server half. */
class ScramClientTest {

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** RFC 5802 §5. */
    @Test
    void rfc5802ExampleExchange() {
        ScramClient client = new ScramClient("SCRAM-SHA-1", "user", "pencil", "fyko+d2lbbFgONRv9qkxdawL",
                ScramClient.SaltedPasswords.NONE);
        assertThat(text(client.clientFirst())).isEqualTo("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL");
        byte[] clientFinal = client.clientFinal(utf8("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"));
        assertThat(text(clientFinal))
                .isEqualTo("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");
        assertThat(client.verifyServerFinal(utf8("v=rmF9pqV8S7suAoZWja4dJRkFsKQ="))).isTrue();
        assertThat(client.verifyServerFinal(utf8("v=rmF9pqV8S7suAoZWja4dJRkFsKA="))).isFalse();
        assertThat(client.verifyServerFinal(utf8("e=invalid-proof"))).isFalse();
    }

    /** RFC 7677 §3. */
    @Test
    void rfc7677ExampleExchange() {
        ScramClient client = new ScramClient("SCRAM-SHA-256", "user", "pencil", "rOprNGfwEbeRWgbNEkqO",
                ScramClient.SaltedPasswords.NONE);
        assertThat(text(client.clientFirst())).isEqualTo("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        byte[] clientFinal = client.clientFinal(utf8(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        assertThat(text(clientFinal)).isEqualTo("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assertThat(client.verifyServerFinal(utf8("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))).isTrue();
    }

    @Test
    void logsInToTheServerHalf() {
        for (String algorithm : List.of(ScramCredentials.SHA_1, ScramCredentials.SHA_256)) {
            ScramCredentials stored = ScramCredentials.derive("pass,word", algorithm, 4096, new SecureRandom());
            ScramMechanism server = new ScramMechanism(algorithm, (u, a) -> Optional.of(stored), "example.com",
                    () -> "servernonce");
            ScramClient client = new ScramClient(server.name(), "a,b=c", "pass,word");
            assertThat(text(client.clientFirst())).contains("n=a=2Cb=3Dc,");
            SaslStep first = server.evaluate(client.clientFirst());
            SaslStep last = server.evaluate(client.clientFinal(((SaslStep.Challenge) first).data()));
            assertThat(last).isInstanceOfSatisfying(SaslStep.Success.class, success -> {
                assertThat(success.username()).isEqualTo("a,b=c");
                assertThat(client.verifyServerFinal(success.additionalData())).isTrue();
            });
        }
    }

    @Test
    void keepsTheSaltedPasswordWhereItIsTold() {
        List<String> computed = new ArrayList<>();
        byte[][] kept = new byte[1][];
        ScramClient.SaltedPasswords cache = (user, salt, iterations, compute) -> {
            if (kept[0] == null) {
                computed.add(user + "/" + iterations);
                kept[0] = compute.get();
            }
            return kept[0];
        };
        String serverFirst = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
        String expected = "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";
        for (int i = 0; i < 2; i++) {
            ScramClient client = new ScramClient("SCRAM-SHA-1", "user", "pencil", "fyko+d2lbbFgONRv9qkxdawL", cache);
            assertThat(text(client.clientFinal(utf8(serverFirst)))).isEqualTo(expected);
        }
        assertThat(computed).containsExactly("user/4096");
    }

    @Test
    void refusesAServerFirstThatIsNotOne() {
        for (String bad : new String[] {"r=other3rfc,s=QSXCR+Q6sek8bf92,i=4096", "r=abc,s=QSXCR+Q6sek8bf92,i=4096",
                "r=abcdef,s=!!,i=4096", "r=abcdef,s=QSXCR+Q6sek8bf92,i=0", "r=abcdef,s=QSXCR+Q6sek8bf92",
                "m=ext,r=abcdef,s=QSXCR+Q6sek8bf92,i=4096", "r=abcdef,s=QSXCR+Q6sek8bf92,i=many"}) {
            ScramClient client = new ScramClient("SCRAM-SHA-1", "user", "pencil", "abc", ScramClient.SaltedPasswords.NONE);
            assertThatThrownBy(() -> client.clientFinal(utf8(bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new ScramClient("SCRAM-SHA-512", "user", "pencil"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
