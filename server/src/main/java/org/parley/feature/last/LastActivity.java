package org.parley.feature.last;

import java.time.Instant;
import java.util.Objects;

/**
 * When a user last went offline, and the status text of that unavailable presence (XEP-0012 §3).
 *
 * @param status null when the presence carried none
 */
public record LastActivity(Instant at, String status) {

    public LastActivity {
        Objects.requireNonNull(at, "at");
    }
}
