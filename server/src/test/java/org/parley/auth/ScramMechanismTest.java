package org.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.auth.ScramClient.SaltedPasswords.NONE;
import static org.parley.auth.ScramMessages.utf8;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScramMechanismTest {

    private static final String DOMAIN = "example.com";
    private static final String SERVER_NONCE = "3rfcNHYJY1ZVvWVs7j";

    /** RFC 5802 §5: user "user", password "pencil", salt QSXCR+Q6sek8bf92, 4096 iterations. */
    private static final ScramCredentials RFC5802_USER = ScramCredentials.derive(
            "pencil", ScramCredentials.SHA_1, 4096, Base64.getDecoder().decode("QSXCR+Q6sek8bf92"));

    private final CredentialLookup users = (username, algorithm) ->
            username.equals("user") && algorithm.equals(ScramCredentials.SHA_1)
                    ? Optional.of(RFC5802_USER) : Optional.empty();

    private ScramMechanism sha1() {
        return new ScramMechanism(ScramCredentials.SHA_1, users, DOMAIN, () -> SERVER_NONCE);
    }

    private static String text(SaslStep step) {
        assertThat(step).isInstanceOf(SaslStep.Challenge.class);
        return new String(((SaslStep.Challenge) step).data(), StandardCharsets.UTF_8);
    }

    private static void assertFailure(SaslStep step, SaslFailure condition) {
        assertThat(step).isInstanceOfSatisfying(SaslStep.Failure.class,
                failure -> assertThat(failure.condition()).isEqualTo(condition));
    }

    @Test
    void rfc5802ExampleExchange() {
        ScramMechanism mechanism = sha1();
        assertThat(mechanism.name()).isEqualTo("SCRAM-SHA-1");

        SaslStep first = mechanism.evaluate(utf8("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
        assertThat(text(first))
                .isEqualTo("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096");

        SaslStep last = mechanism.evaluate(utf8(
                "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="));
        assertThat(last).isInstanceOfSatisfying(SaslStep.Success.class, success -> {
            assertThat(success.username()).isEqualTo("user");
            assertThat(new String(success.additionalData(), StandardCharsets.UTF_8))
                    .isEqualTo("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=");
        });
    }

    @Test
    void rfc7677ExampleExchange() {
        ScramCredentials credentials = ScramCredentials.derive(
                "pencil", ScramCredentials.SHA_256, 4096, Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="));
        ScramMechanism mechanism = new ScramMechanism(ScramCredentials.SHA_256,
                (username, algorithm) -> Optional.of(credentials), DOMAIN, () -> "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
        assertThat(mechanism.name()).isEqualTo("SCRAM-SHA-256");

        SaslStep first = mechanism.evaluate(utf8("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        assertThat(text(first)).isEqualTo(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");

        SaslStep last = mechanism.evaluate(utf8("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        assertThat(last).isInstanceOfSatisfying(SaslStep.Success.class, success ->
                assertThat(new String(success.additionalData(), StandardCharsets.UTF_8))
                        .isEqualTo("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
    }

    @Test
    void wrongPasswordIsNotAuthorized() {
        ScramMechanism mechanism = sha1();
        ScramClient client = new ScramClient(ScramCredentials.SHA_1, "n,,", "user", "pencils", "abc", NONE);
        SaslStep first = mechanism.evaluate(client.clientFirst());
        assertFailure(mechanism.evaluate(client.clientFinal(((SaslStep.Challenge) first).data())),
                SaslFailure.NOT_AUTHORIZED);
    }

    @Test
    void unknownUserGetsAStableDecoyAndFailsOnlyAtTheEnd() {
        DecoyCredentials decoys = new DecoyCredentials(new SecureRandom(), 4096);
        String[] serverFirsts = new String[2];
        for (int attempt = 0; attempt < 2; attempt++) {
            ScramMechanism mechanism = new ScramMechanism(ScramCredentials.SHA_1, users, DOMAIN,
                    () -> SERVER_NONCE, decoys);
            ScramClient client = new ScramClient(ScramCredentials.SHA_1, "n,,", "nobody", "x", "abc", NONE);
            SaslStep first = mechanism.evaluate(client.clientFirst());
            serverFirsts[attempt] = text(first);
            assertFailure(mechanism.evaluate(client.clientFinal(((SaslStep.Challenge) first).data())),
                    SaslFailure.NOT_AUTHORIZED);
        }
        assertThat(serverFirsts[0]).isEqualTo(serverFirsts[1]);
        Map<String, String> attrs = ScramMessages.attributes(serverFirsts[0]);
        assertThat(attrs.get("i")).isEqualTo("4096");
        assertThat(Base64.getDecoder().decode(attrs.get("s"))).hasSize(ScramCredentials.SALT_LENGTH);

        ScramMechanism other = new ScramMechanism(ScramCredentials.SHA_1, users, DOMAIN, () -> SERVER_NONCE, decoys);
        String otherFirst = text(other.evaluate(utf8("n,,n=somebody,r=abc")));
        assertThat(ScramMessages.attributes(otherFirst).get("s")).isNotEqualTo(attrs.get("s"));
    }

    @Test
    void usernameIsCaseMappedBeforeLookup() {
        ScramMechanism mechanism = sha1();
        ScramClient client = new ScramClient(ScramCredentials.SHA_1, "n,,", "User", "pencil", "abc", NONE);
        SaslStep first = mechanism.evaluate(client.clientFirst());
        SaslStep last = mechanism.evaluate(client.clientFinal(((SaslStep.Challenge) first).data()));
        assertThat(last).isInstanceOfSatisfying(SaslStep.Success.class,
                success -> assertThat(success.username()).isEqualTo("user"));
    }

    @Test
    void escapedUsernameIsDecoded() {
        CredentialLookup lookup = (username, algorithm) ->
                username.equals("a,b=c") ? Optional.of(RFC5802_USER) : Optional.empty();
        ScramMechanism mechanism = new ScramMechanism(ScramCredentials.SHA_1, lookup, DOMAIN, () -> SERVER_NONCE);
        ScramClient client = new ScramClient(ScramCredentials.SHA_1, "n,,", "a,b=c", "pencil", "abc", NONE);
        SaslStep first = mechanism.evaluate(client.clientFirst());
        SaslStep last = mechanism.evaluate(client.clientFinal(((SaslStep.Challenge) first).data()));
        assertThat(last).isInstanceOfSatisfying(SaslStep.Success.class,
                success -> assertThat(success.username()).isEqualTo("a,b=c"));
    }

    @Test
    void authzidOfTheOwnBareJidIsAccepted() {
        ScramMechanism mechanism = sha1();
        ScramClient client = new ScramClient(ScramCredentials.SHA_1, "n,a=user@Example.com,", "user", "pencil", "abc",
                NONE);
        SaslStep first = mechanism.evaluate(client.clientFirst());
        assertThat(mechanism.evaluate(client.clientFinal(((SaslStep.Challenge) first).data())))
                .isInstanceOf(SaslStep.Success.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"n,a=other@example.com,n=user,r=abc", "n,a=user@elsewhere.com,n=user,r=abc",
            "n,a=user@example.com/res,n=user,r=abc", "n,a=example.com,n=user,r=abc"})
    void foreignAuthzidIsRejected(String clientFirst) {
        assertFailure(sha1().evaluate(utf8(clientFirst)), SaslFailure.INVALID_AUTHZID);
    }

    @Test
    void channelBindingRequestIsRejected() {
        assertFailure(sha1().evaluate(utf8("p=tls-exporter,,n=user,r=abc")), SaslFailure.MALFORMED_REQUEST);
    }

    @Test
    void clientThatCouldBindButThinksWeCannotIsAccepted() {
        ScramMechanism mechanism = sha1();
        ScramClient client = new ScramClient(ScramCredentials.SHA_1, "y,,", "user", "pencil", "abc", NONE);
        SaslStep first = mechanism.evaluate(client.clientFirst());
        String clientFinal = new String(client.clientFinal(((SaslStep.Challenge) first).data()), StandardCharsets.UTF_8);
        assertThat(clientFinal).startsWith("c=eSws,");
        assertThat(mechanism.evaluate(utf8(clientFinal))).isInstanceOf(SaslStep.Success.class);
    }

    @Test
    void channelBindingValueMustRepeatTheGs2Header() {
        ScramMechanism mechanism = sha1();
        ScramClient client = new ScramClient(ScramCredentials.SHA_1, "n,,", "user", "pencil", "abc", NONE);
        SaslStep first = mechanism.evaluate(client.clientFirst());
        String clientFinal = new String(client.clientFinal(((SaslStep.Challenge) first).data()), StandardCharsets.UTF_8);
        assertFailure(mechanism.evaluate(utf8(clientFinal.replace("c=biws", "c=eSws"))), SaslFailure.MALFORMED_REQUEST);
    }

    @Test
    void clientFinalWithAnotherNonceIsRejected() {
        ScramMechanism mechanism = sha1();
        mechanism.evaluate(utf8("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
        SaslStep last = mechanism.evaluate(utf8(
                "c=biws,r=fyko+d2lbbFgONRv9qkxdawLXXXXXXXXXXXXXXXXXX,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="));
        assertFailure(last, SaslFailure.MALFORMED_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"n", "x,,n=user,r=abc", "n,,", "n,,r=abc,n=user", "n,,n=user", "n,,n=,r=abc",
            "n,,n=us=er,r=abc", "n,,n=user,r=", "n,,n=user,r=a b", "n,,m=ext,n=user,r=abc", "n,,n=user,r=abc,bad",
            "n,b=x,n=user,r=abc", "n,,n=user,r=abc\u00e9"})
    void malformedClientFirstIsRejected(String clientFirst) {
        assertFailure(sha1().evaluate(utf8(clientFirst)), SaslFailure.MALFORMED_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,c=biws,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
            "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j", "c=biws,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
            "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=AAAA", "garbage"})
    void malformedClientFinalIsRejected(String clientFinal) {
        ScramMechanism mechanism = sha1();
        mechanism.evaluate(utf8("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
        assertFailure(mechanism.evaluate(utf8(clientFinal)), SaslFailure.MALFORMED_REQUEST);
    }

    @Test
    void badBase64InsideClientFinalIsIncorrectEncoding() {
        ScramMechanism mechanism = sha1();
        mechanism.evaluate(utf8("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
        assertFailure(mechanism.evaluate(utf8("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=!!!")),
                SaslFailure.INCORRECT_ENCODING);
    }

    @Test
    void invalidUtf8IsIncorrectEncoding() {
        assertFailure(sha1().evaluate(new byte[] {'n', ',', ',', 'n', '=', (byte) 0xC3, 'r'}),
                SaslFailure.INCORRECT_ENCODING);
    }

    @Test
    void invalidUsernameIsNotAuthorized() {
        assertFailure(sha1().evaluate(utf8("n,,n=two words,r=abc")), SaslFailure.NOT_AUTHORIZED);
    }

    @Test
    void extensionsAreIgnored() {
        ScramMechanism mechanism = sha1();
        SaslStep first = mechanism.evaluate(utf8("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL,x=future"));
        assertThat(text(first)).startsWith("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,");
    }

    @Test
    void missingInitialResponseIsSolicitedOnce() {
        ScramMechanism mechanism = sha1();
        assertThat(text(mechanism.evaluate(new byte[0]))).isEmpty();
        assertThat(text(mechanism.evaluate(utf8("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL")))).startsWith("r=fyko");

        ScramMechanism silent = sha1();
        silent.evaluate(new byte[0]);
        assertFailure(silent.evaluate(new byte[0]), SaslFailure.MALFORMED_REQUEST);
    }

    @Test
    void finishedExchangeCannotContinue() {
        ScramMechanism mechanism = sha1();
        mechanism.evaluate(utf8("p=tls-unique,,n=user,r=abc"));
        assertThatThrownBy(() -> mechanism.evaluate(utf8("n,,n=user,r=abc")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void credentialsOfAnotherAlgorithmAreNotUsed() {
        ScramMechanism mechanism = new ScramMechanism(ScramCredentials.SHA_256,
                (username, algorithm) -> Optional.of(RFC5802_USER), DOMAIN, () -> SERVER_NONCE);
        ScramClient client = new ScramClient(ScramCredentials.SHA_256, "n,,", "user", "pencil", "abc", NONE);
        SaslStep first = mechanism.evaluate(client.clientFirst());
        assertFailure(mechanism.evaluate(client.clientFinal(((SaslStep.Challenge) first).data())),
                SaslFailure.NOT_AUTHORIZED);
    }
}
