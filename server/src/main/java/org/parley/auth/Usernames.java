package org.parley.auth;

import java.nio.charset.StandardCharsets;
import rocks.xmpp.precis.PrecisProfiles;

/** Normalizes account names the way a JID localpart is normalized (RFC 7622 §3.3, RFC 8265 UsernameCaseMapped). */
public final class Usernames {

    /** RFC 7622 §3.3.1: a localpart is at most 1023 octets. */
    public static final int MAX_BYTES = 1023;

    private Usernames() {
    }

    /**
     * @return the UsernameCaseMapped form of {@code raw}, so "User" and "user" name one account
     * @throws IllegalArgumentException if raw is null, empty, not a valid username or longer than 1023 octets
     */
    public static String prepare(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new IllegalArgumentException("username must not be empty");
        }
        String prepared = PrecisProfiles.USERNAME_CASE_MAPPED.enforce(raw);
        if (prepared.isEmpty()) {
            throw new IllegalArgumentException("username must not be empty");
        }
        if (prepared.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("username longer than " + MAX_BYTES + " octets");
        }
        return prepared;
    }
}
