package org.parley.feature.mam;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.parley.feature.sm.SmRecord;
import org.parley.session.Adoption;
import org.parley.route.Router;
import org.parley.session.Session;
import org.parley.session.SessionListener;
import org.parley.store.StoreException;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zero loss across a cluster node's death. A message the server accepted is in the archive
 * before it is handed on; if the node holding the recipient's session dies, whatever was on its
 * way there (on the node bus, in the dead node's queues or socket buffers) is lost with it. The
 * survivor that ends the dead node's sessions learns since when their stanzas are in doubt
 * ({@link Session#IN_DOUBT_SINCE}: a little before the dead node's last liveness renewal), and
 * this hands every message archived for that resource (or its bare JID) since then over again
 * as undeliverable: to the user's other available resources, or to offline storage, so it is
 * there at the next login; for a resumable session, except what its log holds ({@link SmRecord}:
 * acknowledged by the client, or handed over from the log). Some of the others may have reached
 * the client before the crash: a client recognises them by their XEP-0359 stanza-id. Messages the user's archive preferences leave
 * out of the archive cannot be handed over again.
 */
final class InDoubtReplay implements SessionListener {
    private static final Logger log = LoggerFactory.getLogger(InDoubtReplay.class);
    private static final int PAGE = 500;
    /** At most this many messages per ended session (offline storage keeps no more than its own cap either). */
    private static final int MAX = 10_000;

    private final ArchiveStore store;
    private final ArchiveWriter writer;
    private final Router router;
    private final Duration flushTimeout;

    InDoubtReplay(ArchiveStore store, ArchiveWriter writer, Router router, Duration flushTimeout) {
        this.store = store;
        this.writer = writer;
        this.router = router;
        this.flushTimeout = flushTimeout;
    }

    @Override
    public void closed(Session session) {
        String since = session.isLocal() ? null : session.shared(Session.IN_DOUBT_SINCE);
        if (since == null || session.jid().local() == null) {
            return;
        }
        try {
            writer.flush(flushTimeout); // this node's own rows for the user, routed just before the death
            Instant from = Instant.ofEpochMilli(Long.parseLong(since));
            // A resumable session's log says what its client has or gets from the log: not again
            // from here (the soak counted such messages twice at the next login). The window itself
            // stays as the cursor set it: what a loaded node held unlogged may be older than the
            // log's newest entry by any amount.
            SmRecord logged = SmRecord.of(session);
            int n = replay(session, ArchiveIds.firstAt(from), id -> logged == null || !logged.has(id), null);
            if (n > 0) {
                log.info("{}: {} archived message(s) in doubt after its node died handed over again", session.jid(), n);
            }
        } catch (StoreException | NumberFormatException e) {
            log.warn("{}: messages in doubt after its node died not handed over again: {}", session.jid(),
                    e.getMessage());
        }
    }

    /**
     * A client resumed here a session of a node that died: what was archived for it since its
     * stanzas are in doubt, and that the resumed client neither has nor was sent again, goes to
     * it now (the log its node kept may lack the last moments before the death).
     */
    @Override
    public void adopted(Session session, Adoption from) {
        if (from.inDoubtSince() == null || session.jid().local() == null) {
            return;
        }
        try {
            writer.flush(flushTimeout);
            int n = replay(session, ArchiveIds.firstAt(from.inDoubtSince()), from::firstTime, session);
            if (n > 0) {
                log.info("{}: {} archived message(s) in doubt after its node died sent to the resumed session", session.jid(), n);
            }
        } catch (StoreException e) {
            log.warn("{}: messages in doubt after its node died not sent to the resumed session: {}", session.jid(),
                    e.getMessage());
        }
    }

    /** Hands over what was archived for the session since {@code after} and is {@code fresh}, to {@code target} (null: as undeliverable). */
    private int replay(Session session, long after, java.util.function.Predicate<String> fresh, Session target) {
        String user = session.jid().local();
        String resource = session.jid().resource();
        String bare = session.jid().bare().toString();
        int count = 0;
        long cursor = after - 1;
        List<ArchiveRecord> page;
        do {
            page = store.query(new ArchiveQuery(user, cursor, Long.MAX_VALUE, null, null, null, PAGE, false));
            for (ArchiveRecord r : page) {
                cursor = r.id();
                boolean toThisResource = r.toResource() == null || r.toResource().equals(resource);
                String id = ArchiveIds.format(r.id());
                if (user.equals(r.recipient()) && bare.equals(r.toJid()) && toThisResource && count < MAX
                        && fresh.test(id)) {
                    Element e = XmlStrings.parse(r.stanza()).withNamespace(Namespaces.CLIENT)
                            .withChild(MamElements.stanzaId(bare, id));
                    router.deliverLocally(Stanza.of(e), target);
                    count++;
                }
            }
        } while (page.size() == PAGE && count < MAX);
        return count;
    }
}
