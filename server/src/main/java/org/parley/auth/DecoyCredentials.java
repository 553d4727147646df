package org.parley.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Stand-in credentials for accounts that do not exist, so that an attacker cannot tell an unknown
 * username from a wrong password (RFC 5802 §9 "the server SHOULD ... fake the exchange").
 *
 * <p>The salt is an HMAC of the username under a secret made once per instance, so repeated attempts
 * for the same unknown name see the same salt, as they would for a real account. Create one per
 * server (e.g. in {@link SaslMechanisms}) and share it between all attempts.
 */
public final class DecoyCredentials {

    private static final String SECRET_HASH = ScramCredentials.SHA_256;

    private final byte[] secret;
    private final int iterations;

    /**
     * @param iterations should equal the iteration count real credentials use, or the count alone
     *                   would give unknown accounts away
     */
    public DecoyCredentials(SecureRandom random, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive: " + iterations);
        }
        this.secret = new byte[32];
        random.nextBytes(secret);
        this.iterations = iterations;
    }

    /** Credentials no proof or password can match; {@code username} is already normalized. */
    public ScramCredentials forUser(String username, String algorithm) {
        ScramCrypto.requireSupported(algorithm);
        byte[] salt = Arrays.copyOf(derive("salt", username, algorithm), ScramCredentials.SALT_LENGTH);
        int length = ScramCrypto.hashLength(algorithm);
        byte[] storedKey = Arrays.copyOf(derive("stored-key", username, algorithm), length);
        byte[] serverKey = Arrays.copyOf(derive("server-key", username, algorithm), length);
        return new ScramCredentials(algorithm, salt, iterations, storedKey, serverKey);
    }

    private byte[] derive(String purpose, String username, String algorithm) {
        String input = purpose + '\0' + algorithm + '\0' + username;
        return ScramCrypto.hmac(SECRET_HASH, secret, input.getBytes(StandardCharsets.UTF_8));
    }
}
