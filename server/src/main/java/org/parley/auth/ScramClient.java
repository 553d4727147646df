package org.parley.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import org.parley.auth.ScramSyntax.Rejection;

/**
 * The client half of SCRAM-SHA-1 (RFC 5802) and SCRAM-SHA-256 (RFC 7677) without channel binding,
 * on the same primitives as the server's {@link ScramMechanism}: what the protocol tests and the
 * load generator log in with. One instance per authentication attempt.
 */
public final class ScramClient {

    /**
     * Where a client keeps SaltedPassword between logins: RFC 5802 §5.1 lets a client store it
     * "to avoid recomputation", which matters to a client that logs in thousands of times, since
     * computing it is the whole cost (Hi runs the iteration count's HMACs).
     */
    @FunctionalInterface
    public interface SaltedPasswords {
        /** The SaltedPassword of {@code username} for this salt and count; {@code compute} derives it. */
        byte[] get(String username, byte[] salt, int iterations, Supplier<byte[]> compute);

        /** Derives it every time. */
        SaltedPasswords NONE = (username, salt, iterations, compute) -> compute.get();
    }

    private static final String GS2_HEADER = "n,,";

    private final String algorithm;
    private final String gs2Header;
    private final String username;
    private final String password;
    private final String clientNonce;
    private final SaltedPasswords saltedPasswords;
    private final String clientFirstBare;
    private byte[] serverSignature;

    /** @param mechanism {@code SCRAM-SHA-1} or {@code SCRAM-SHA-256} */
    public ScramClient(String mechanism, String username, String password) {
        this(mechanism, username, password, randomNonce(), SaltedPasswords.NONE);
    }

    /**
     * @param clientNonce printable ASCII without ',' (RFC 5802 §5.1), fresh for every attempt
     */
    public ScramClient(String mechanism, String username, String password, String clientNonce,
                       SaltedPasswords saltedPasswords) {
        this(algorithm(mechanism), GS2_HEADER, username, password, clientNonce, saltedPasswords);
    }

    /** With another GS2 header ("y,,", or "n,a=authzid,"): for tests of the server's handling of them. */
    ScramClient(String algorithm, String gs2Header, String username, String password, String clientNonce,
                SaltedPasswords saltedPasswords) {
        ScramCrypto.requireSupported(algorithm);
        if (!ScramSyntax.isNonce(clientNonce)) {
            throw new IllegalArgumentException("not a nonce: " + clientNonce);
        }
        this.algorithm = algorithm;
        this.gs2Header = gs2Header;
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
        this.clientNonce = clientNonce;
        this.saltedPasswords = Objects.requireNonNull(saltedPasswords, "saltedPasswords");
        this.clientFirstBare = "n=" + ScramSyntax.escapeSaslname(username) + ",r=" + clientNonce;
    }

    /** The client-first message. */
    public byte[] clientFirst() {
        return utf8(gs2Header + clientFirstBare);
    }

    /**
     * The client-final message answering {@code serverFirst}; remembers the server signature to
     * expect in server-final.
     *
     * @throws IllegalArgumentException when server-first is malformed or its nonce does not extend ours
     */
    public byte[] clientFinal(byte[] serverFirst) {
        String message = new String(serverFirst, StandardCharsets.UTF_8);
        String[] attrs = message.split(",", -1);
        String nonce;
        byte[] givenSalt;
        int givenIterations;
        try {
            if (attrs.length < 3 || attrs[0].startsWith("m=")) {
                throw ScramSyntax.malformed("expected nonce, salt and iteration count");
            }
            nonce = ScramSyntax.value(attrs[0], 'r');
            givenSalt = ScramSyntax.base64(ScramSyntax.value(attrs[1], 's'));
            givenIterations = Integer.parseInt(ScramSyntax.value(attrs[2], 'i'));
        } catch (Rejection | NumberFormatException e) {
            throw new IllegalArgumentException("malformed server-first message: " + message, e);
        }
        byte[] salt = givenSalt;
        int iterations = givenIterations;
        // §5.1: the server appends its part; a nonce that does not start with ours is an attack or a bug.
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length() || !ScramSyntax.isNonce(nonce)
                || salt.length == 0 || iterations < 1) {
            throw new IllegalArgumentException("unacceptable server-first message: " + message);
        }
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(utf8(gs2Header)) + ",r=" + nonce;
        String authMessage = clientFirstBare + "," + message + "," + withoutProof;
        byte[] saltedPassword = saltedPasswords.get(username, salt, iterations,
                () -> ScramCrypto.hi(algorithm, ScramCredentials.saslPrep(password), salt, iterations));
        byte[] clientKey = ScramCrypto.hmac(algorithm, saltedPassword, "Client Key");
        byte[] storedKey = ScramCrypto.hash(algorithm, clientKey);
        byte[] proof = ScramCrypto.xor(clientKey, ScramCrypto.hmac(algorithm, storedKey, authMessage));
        serverSignature = ScramCrypto.hmac(algorithm, ScramCrypto.hmac(algorithm, saltedPassword, "Server Key"),
                authMessage);
        return utf8(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
    }

    /** Whether server-final ({@code v=...}) proves that the server knows the credentials (§3). */
    public boolean verifyServerFinal(byte[] serverFinal) {
        String message = new String(serverFinal, StandardCharsets.UTF_8);
        if (serverSignature == null || !message.startsWith("v=")) {
            return false; // "e=..." is the server's error
        }
        try {
            return MessageDigest.isEqual(serverSignature, ScramSyntax.base64(message.substring(2).split(",", 2)[0]));
        } catch (Rejection e) {
            return false;
        }
    }

    private static String algorithm(String mechanism) {
        return switch (mechanism) {
            case "SCRAM-SHA-1" -> ScramCredentials.SHA_1;
            case "SCRAM-SHA-256" -> ScramCredentials.SHA_256;
            default -> throw new IllegalArgumentException("not a SCRAM mechanism this client speaks: " + mechanism);
        };
    }

    private static String randomNonce() {
        byte[] nonce = new byte[18];
        new SecureRandom().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
