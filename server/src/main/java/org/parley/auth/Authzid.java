package org.parley.auth;

import java.util.Locale;

/**
 * The authorization identity rule shared by the mechanisms: Parley does not let one account act
 * as another, so an authzid is accepted only if it names the authenticated account's own bare JID
 * (RFC 6120 §6.3.8).
 */
final class Authzid {

    private Authzid() {
    }

    /**
     * @param authzid  as the client sent it (decoded), never empty
     * @param username the normalized authentication identity
     */
    static boolean permits(String authzid, String username, String domain) {
        int at = authzid.indexOf('@');
        if (at <= 0 || authzid.indexOf('/') >= 0 || authzid.indexOf('@', at + 1) >= 0) {
            return false;
        }
        String local;
        try {
            local = Usernames.prepare(authzid.substring(0, at));
        } catch (IllegalArgumentException e) {
            return false;
        }
        String domainpart = authzid.substring(at + 1).toLowerCase(Locale.ROOT);
        return local.equals(username) && domainpart.equals(domain.toLowerCase(Locale.ROOT));
    }
}
