package org.parley.auth;

import java.util.Optional;

/** Where the mechanisms find an account's stored SCRAM credentials (a store implements this). */
@FunctionalInterface
public interface CredentialLookup {

    /**
     * @param username  already normalized by {@link Usernames#prepare}
     * @param algorithm {@link ScramCredentials#SHA_1} or {@link ScramCredentials#SHA_256}
     * @return the credentials, or empty if the account does not exist or has none for this algorithm
     */
    Optional<ScramCredentials> lookup(String username, String algorithm);
}
