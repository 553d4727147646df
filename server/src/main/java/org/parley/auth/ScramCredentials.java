package org.parley.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * What the server keeps of a password (RFC 5802 §3): the salt, the iteration count and the
 * StoredKey/ServerKey pair for one hash algorithm. The password itself is never stored.
 *
 * @param algorithm "SHA-1" or "SHA-256" (as {@link java.security.MessageDigest} names them)
 */
public record ScramCredentials(String algorithm, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

    public static final String SHA_1 = "SHA-1";
    public static final String SHA_256 = "SHA-256";

    /** RFC 7677 §4 asks for at least 4096 iterations. */
    public static final int DEFAULT_ITERATIONS = 4096;

    /** Salt length for new credentials; RFC 5802 gives no minimum, 16 bytes keeps salts unique in practice. */
    public static final int SALT_LENGTH = 16;

    public ScramCredentials {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(storedKey, "storedKey");
        Objects.requireNonNull(serverKey, "serverKey");
    }

    /**
     * Derives credentials for one algorithm with a fresh random salt.
     *
     * @throws IllegalArgumentException if the password is not a valid PRECIS OpaqueString (e.g. empty),
     *                                  the algorithm is unknown or iterations is not positive
     */
    public static ScramCredentials derive(String password, String algorithm, int iterations, SecureRandom random) {
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        return derive(password, algorithm, iterations, salt);
    }

    /** Derives credentials with a given salt; used for known test vectors and by {@link #derive}. */
    public static ScramCredentials derive(String password, String algorithm, int iterations, byte[] salt) {
        ScramCrypto.requireSupported(algorithm);
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive: " + iterations);
        }
        if (salt.length == 0) {
            throw new IllegalArgumentException("salt must not be empty");
        }
        String prepared = saslPrep(password);
        byte[] saltedPassword = ScramCrypto.hi(algorithm, prepared, salt, iterations);
        byte[] clientKey = ScramCrypto.hmac(algorithm, saltedPassword, "Client Key");
        byte[] storedKey = ScramCrypto.hash(algorithm, clientKey);
        byte[] serverKey = ScramCrypto.hmac(algorithm, saltedPassword, "Server Key");
        return new ScramCredentials(algorithm, salt.clone(), iterations, storedKey, serverKey);
    }

    /** SHA-1 and SHA-256 credentials, each with its own salt, as a store keeps them for one account. */
    public static List<ScramCredentials> deriveAll(String password, int iterations, SecureRandom random) {
        return List.of(derive(password, SHA_1, iterations, random), derive(password, SHA_256, iterations, random));
    }

    /**
     * Whether a plaintext password (from SASL PLAIN) is the one these credentials were derived from.
     * The final comparison is constant-time; a password that SASLprep rejects never matches.
     */
    public boolean matches(String password) {
        String prepared;
        try {
            prepared = saslPrep(password);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] saltedPassword = ScramCrypto.hi(algorithm, prepared, salt, iterations);
        byte[] clientKey = ScramCrypto.hmac(algorithm, saltedPassword, "Client Key");
        return MessageDigest.isEqual(storedKey, ScramCrypto.hash(algorithm, clientKey));
    }

    /** SASLprep as updated by RFC 8265 §4.2 (OpaqueString), which is what XMPP uses since RFC 7622. */
    static String saslPrep(String password) {
        if (password == null) {
            throw new IllegalArgumentException("password must not be null");
        }
        return PrecisProfiles.OPAQUE_STRING.enforce(password);
    }
}
