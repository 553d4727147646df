package org.parley.store;

import java.util.List;
import java.util.Optional;
import org.parley.auth.ScramCredentials;

/** Accounts and their SCRAM credentials, at most one set per hash algorithm. */
public interface AccountStore {

    /** Creates the account with its credentials; {@code false} (and no change) if it exists already. */
    boolean create(String username, List<ScramCredentials> credentials);

    boolean exists(String username);

    /** @param algorithm {@link ScramCredentials#SHA_1} or {@link ScramCredentials#SHA_256} */
    Optional<ScramCredentials> credentials(String username, String algorithm);

    /** Replaces all credentials of the account; {@code false} if there is no such account. */
    boolean setCredentials(String username, List<ScramCredentials> credentials);

    /**
     * Removes the account and all its data at once: the core's (credentials, roster, pending
     * requests, vCard) and every feature's (see {@code store.sql.AccountRemoval}).
     */
    boolean delete(String username);

    /** All usernames, sorted by {@link String#compareTo}. */
    List<String> list();

    long count();
}
