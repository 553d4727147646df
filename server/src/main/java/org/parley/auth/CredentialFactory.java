package org.parley.auth;

import java.security.SecureRandom;
import java.util.List;

/**
 * Turns a new password into what an account keeps of it (RFC 5802 §3): SCRAM-SHA-1 and
 * SCRAM-SHA-256 credentials with fresh salts and the server's iteration count
 * ({@code auth.scramIterations}), so whoever sets a password need not know that setting.
 */
public final class CredentialFactory {

    private final int iterations;
    private final SecureRandom random;

    public CredentialFactory(int iterations, SecureRandom random) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive: " + iterations);
        }
        this.iterations = iterations;
        this.random = random;
    }

    /**
     * @throws IllegalArgumentException if the password is not a valid PRECIS OpaqueString (e.g. empty)
     */
    public List<ScramCredentials> forPassword(String password) {
        return ScramCredentials.deriveAll(password, iterations, random);
    }
}
