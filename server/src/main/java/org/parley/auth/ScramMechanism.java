package org.parley.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.parley.auth.ScramSyntax.Rejection;

/**
 * Server side of SCRAM-SHA-1 (RFC 5802) and SCRAM-SHA-256 (RFC 7677), without channel binding.
 *
 * <p>Exchange: client-first → server-first ({@link SaslStep.Challenge}), client-final →
 * {@link SaslStep.Success} carrying server-final ("v=...") as additional data, as RFC 6120 §6.3.10
 * wants. The -PLUS variants are not offered, so a client asking for channel binding ("p=") is refused,
 * while "y" (client could bind but thinks we cannot) is fine.
 *
 * <p>Unknown accounts get {@link DecoyCredentials}: the exchange runs to the end and fails there
 * with not-authorized, exactly like a wrong password.
 */
public final class ScramMechanism implements SaslMechanism {

    private enum State { INITIAL, SOLICITED, AWAITING_FINAL, DONE }

    private final String algorithm;
    private final String name;
    private final CredentialLookup lookup;
    private final String domain;
    private final Supplier<String> nonces;
    private final DecoyCredentials decoys;

    private State state = State.INITIAL;
    private byte[] gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private String username;
    private ScramCredentials credentials;
    private boolean accountExists;

    /**
     * @param algorithm {@link ScramCredentials#SHA_1} or {@link ScramCredentials#SHA_256}
     * @param nonces    supplies the server's part of the nonce (printable ASCII without ',')
     * @param decoys    shared by all attempts of a server, so unknown accounts look stable
     */
    public ScramMechanism(String algorithm, CredentialLookup lookup, String domain, Supplier<String> nonces,
                          DecoyCredentials decoys) {
        ScramCrypto.requireSupported(algorithm);
        this.algorithm = algorithm;
        this.name = ScramCredentials.SHA_1.equals(algorithm) ? "SCRAM-SHA-1" : "SCRAM-SHA-256";
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.nonces = Objects.requireNonNull(nonces, "nonces");
        this.decoys = Objects.requireNonNull(decoys, "decoys");
    }

    /**
     * With decoys private to this attempt: fine for tests, but a server should share one
     * {@link DecoyCredentials} (see {@link SaslMechanisms}) or unknown accounts get a new salt each time.
     */
    public ScramMechanism(String algorithm, CredentialLookup lookup, String domain, Supplier<String> nonces) {
        this(algorithm, lookup, domain, nonces,
                new DecoyCredentials(new SecureRandom(), ScramCredentials.DEFAULT_ITERATIONS));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String username() {
        return username;
    }

    @Override
    public SaslStep evaluate(byte[] response) {
        Objects.requireNonNull(response, "response");
        SaslStep step;
        try {
            step = switch (state) {
                case INITIAL, SOLICITED -> clientFirst(response);
                case AWAITING_FINAL -> clientFinal(response);
                case DONE -> throw new IllegalStateException(name + " exchange already finished");
            };
        } catch (Rejection rejection) {
            step = rejection.toFailure();
        }
        if (!(step instanceof SaslStep.Challenge)) {
            state = State.DONE;
        }
        return step;
    }

    private SaslStep clientFirst(byte[] response) throws Rejection {
        if (response.length == 0 && state == State.INITIAL) {
            // No initial response: RFC 6120 §6.4.2 has the server send an empty challenge.
            state = State.SOLICITED;
            return new SaslStep.Challenge(new byte[0]);
        }
        String message = text(response);
        if (message.startsWith("p=")) {
            throw ScramSyntax.malformed("channel binding is not supported");
        }
        if (message.length() < 3 || (message.charAt(0) != 'n' && message.charAt(0) != 'y')
                || message.charAt(1) != ',') {
            throw ScramSyntax.malformed("invalid GS2 header");
        }
        int headerEnd = message.indexOf(',', 2);
        if (headerEnd < 0) {
            throw ScramSyntax.malformed("invalid GS2 header");
        }
        String authzField = message.substring(2, headerEnd);
        Optional<String> authzid = authzField.isEmpty()
                ? Optional.empty()
                : Optional.of(ScramSyntax.saslname(ScramSyntax.value(authzField, 'a')));

        String bare = message.substring(headerEnd + 1);
        String[] attrs = bare.split(",", -1);
        if (attrs[0].startsWith("m=")) {
            throw ScramSyntax.malformed("mandatory extension not supported");
        }
        if (attrs.length < 2) {
            throw ScramSyntax.malformed("expected username and nonce");
        }
        String rawUsername = ScramSyntax.saslname(ScramSyntax.value(attrs[0], 'n'));
        String clientNonce = ScramSyntax.value(attrs[1], 'r');
        if (!ScramSyntax.isNonce(clientNonce)) {
            throw ScramSyntax.malformed("invalid nonce");
        }
        for (int i = 2; i < attrs.length; i++) {
            ScramSyntax.requireExtension(attrs[i]);
        }
        try {
            username = Usernames.prepare(rawUsername);
        } catch (IllegalArgumentException e) {
            throw new Rejection(SaslFailure.NOT_AUTHORIZED, "invalid username");
        }
        if (authzid.isPresent() && !Authzid.permits(authzid.get(), username, domain)) {
            throw new Rejection(SaslFailure.INVALID_AUTHZID, "authzid must be the account's bare JID");
        }

        Optional<ScramCredentials> found = lookup.lookup(username, algorithm)
                .filter(c -> algorithm.equals(c.algorithm()));
        accountExists = found.isPresent();
        credentials = found.orElseGet(() -> decoys.forUser(username, algorithm));

        String serverNonce = nonces.get();
        if (serverNonce == null || !ScramSyntax.isNonce(serverNonce)) {
            throw new IllegalStateException("nonce supplier gave an invalid nonce");
        }
        gs2Header = message.substring(0, headerEnd + 1).getBytes(StandardCharsets.UTF_8);
        clientFirstBare = bare;
        nonce = clientNonce + serverNonce;
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credentials.salt())
                + ",i=" + credentials.iterations();
        state = State.AWAITING_FINAL;
        return new SaslStep.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    private SaslStep clientFinal(byte[] response) throws Rejection {
        String message = text(response);
        int proofAt = message.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw ScramSyntax.malformed("missing proof");
        }
        String withoutProof = message.substring(0, proofAt);
        String[] attrs = withoutProof.split(",", -1);
        if (attrs.length < 2) {
            throw ScramSyntax.malformed("expected channel binding and nonce");
        }
        byte[] channelBinding = ScramSyntax.base64(ScramSyntax.value(attrs[0], 'c'));
        String finalNonce = ScramSyntax.value(attrs[1], 'r');
        for (int i = 2; i < attrs.length; i++) {
            ScramSyntax.requireExtension(attrs[i]);
        }
        byte[] proof = ScramSyntax.base64(message.substring(proofAt + 3));
        if (!Arrays.equals(channelBinding, gs2Header)) {
            throw ScramSyntax.malformed("channel binding does not match the GS2 header");
        }
        if (!finalNonce.equals(nonce)) {
            throw ScramSyntax.malformed("nonce does not match");
        }
        if (proof.length != ScramCrypto.hashLength(algorithm)) {
            throw ScramSyntax.malformed("proof has the wrong length");
        }

        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientSignature = ScramCrypto.hmac(algorithm, credentials.storedKey(), authMessage);
        byte[] clientKey = ScramCrypto.xor(proof, clientSignature);
        boolean proofValid = MessageDigest.isEqual(ScramCrypto.hash(algorithm, clientKey), credentials.storedKey());
        if (!proofValid || !accountExists) {
            return new SaslStep.Failure(SaslFailure.NOT_AUTHORIZED, null);
        }
        byte[] serverSignature = ScramCrypto.hmac(algorithm, credentials.serverKey(), authMessage);
        String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature);
        return new SaslStep.Success(username, serverFinal.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] response) throws Rejection {
        return Utf8.decode(response)
                .orElseThrow(() -> new Rejection(SaslFailure.INCORRECT_ENCODING, "not UTF-8"));
    }
}
