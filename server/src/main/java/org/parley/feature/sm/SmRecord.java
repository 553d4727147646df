package org.parley.feature.sm;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.parley.session.Session;

/**
 * What a resumable session of a dead cluster node had logged ({@link SmLog}), for the archive's
 * in-doubt replay when nobody resumes it and the clean-up ends it: every message in the log either
 * reached the client and was acknowledged by it, or is handed over again from the log itself (past
 * the client's count, {@code StreamManagementModule.rerouteLogged}). Neither needs the archive's
 * copy, which would reach the user a second time at the next login; and whatever the log lacks was
 * queued after its newest entry ({@link SmLog#inDoubtSince}).
 */
public final class SmRecord {
    private final Set<String> logged;
    private final Instant newest;

    private SmRecord(Set<String> logged, Instant newest) {
        this.logged = logged;
        this.newest = newest;
    }

    /** The record of {@code session}'s log, or null when it kept none (no resumption, or a local session). */
    public static SmRecord of(Session session) {
        if (session.shared(SmLog.SHARE) == null) {
            return null;
        }
        List<SmLog.Entry> log = SmLog.parse(session.sharedLog());
        Set<String> ids = new HashSet<>();
        for (SmLog.Entry e : log) {
            if (e.stanzaId() != null) {
                ids.add(e.stanzaId());
            }
        }
        return new SmRecord(ids, log.isEmpty() ? null : log.getLast().queued());
    }

    /** Whether the message with this stanza-id is in the log (delivered and acknowledged, or handed over from there). */
    public boolean has(String stanzaId) {
        return logged.contains(stanzaId);
    }

    /** The later of {@code since} and the newest logged stanza less {@link SmLog#TAIL_MARGIN}. */
    public Instant inDoubtSince(Instant since) {
        if (newest == null) {
            return since;
        }
        Instant t = newest.minus(SmLog.TAIL_MARGIN);
        return t.isAfter(since) ? t : since;
    }
}
