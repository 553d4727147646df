package org.parley.feature.sm;

import java.util.HashSet;
import java.util.Set;
import org.parley.session.Session;

/**
 * What a resumable session of a dead cluster node had logged ({@link SmLog}), for the archive's
 * in-doubt replay when nobody resumes it and the clean-up ends it: every message in the log either
 * reached the client and was acknowledged by it, or is handed over again from the log itself (past
 * the client's count, {@code StreamManagementModule.rerouteLogged}). Neither needs the archive's
 * copy, which would reach the user a second time at the next login.
 */
public final class SmRecord {
    private final Set<String> logged;

    private SmRecord(Set<String> logged) {
        this.logged = logged;
    }

    /** The record of {@code session}'s log, or null when it kept none (no resumption, or a local session). */
    public static SmRecord of(Session session) {
        if (session.shared(SmLog.SHARE) == null) {
            return null;
        }
        Set<String> ids = new HashSet<>();
        for (SmLog.Entry e : SmLog.parse(session.sharedLog())) {
            if (e.stanzaId() != null) {
                ids.add(e.stanzaId());
            }
        }
        return new SmRecord(ids);
    }

    /** Whether the message with this stanza-id is in the log (delivered and acknowledged, or handed over from there). */
    public boolean has(String stanzaId) {
        return logged.contains(stanzaId);
    }
}
