package org.parley.auth;

import java.util.Objects;

/**
 * What the server keeps of a password (RFC 5802 §3): the salt, the iteration count and the
 * StoredKey/ServerKey pair for one hash algorithm. The password itself is never stored.
 *
 * @param algorithm "SHA-1" or "SHA-256" (as {@link java.security.MessageDigest} names them)
 */
public record ScramCredentials(String algorithm, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

    public static final String SHA_1 = "SHA-1";
    public static final String SHA_256 = "SHA-256";

    public ScramCredentials {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(storedKey, "storedKey");
        Objects.requireNonNull(serverKey, "serverKey");
    }
}
