package org.parley.feature.register;

import java.time.Instant;
import java.util.Optional;

/** Invitation tokens: each lets one account be registered until it expires. */
public interface InviteStore {

    /** An invitation; {@code inviter} is the account that invites (XEP-0379), or null for a server invitation. */
    record Invite(String token, String inviter, Instant expires) {
    }

    void add(Invite invite);

    /** The invitation, if it exists and has not expired at {@code now}. */
    Optional<Invite> valid(String token, Instant now);

    /** Uses the invitation up; false if it was not there (already used, or never made). */
    boolean use(String token);
}
