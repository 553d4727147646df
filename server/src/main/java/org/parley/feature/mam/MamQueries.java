package org.parley.feature.mam;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.parley.route.IqRequest;
import org.parley.route.Router;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.delay.Delay;
import org.parley.xmpp.forward.Forwarded;
import org.parley.xmpp.rsm.RsmSet;

/**
 * Answers MAM queries (XEP-0313 §4): one result message per archived message, in order, to the
 * querying resource, then the IQ result with {@code <fin/>} and the XEP-0059 page bounds.
 */
final class MamQueries {
    private final ArchiveStore store;
    private final ArchiveWriter writer;
    private final Router router;
    private final Duration flushTimeout;
    private final int defaultPage;
    private final int maxPage;
    private final long countLimit;
    private final RemoteRows remote;

    MamQueries(ArchiveStore store, ArchiveWriter writer, Router router, Duration flushTimeout, int defaultPage,
               int maxPage, long countLimit, RemoteRows remote) {
        this.remote = remote;
        this.store = store;
        this.writer = writer;
        this.router = router;
        this.flushTimeout = flushTimeout;
        this.defaultPage = defaultPage;
        this.maxPage = maxPage;
        this.countLimit = countLimit;
    }

    /** XEP-0313 §5: the query form. */
    Element form(IqRequest r) {
        requireSelf(r);
        return MamElements.queryForm();
    }

    Element query(IqRequest r) {
        requireSelf(r);
        return query(r, r.from().local(), r.from().bare(), UnaryOperator.identity(), Long.MIN_VALUE);
    }

    /**
     * Answers a query of the archive kept under {@code owner} (a username, or a hosted entity's
     * bare JID), the results coming from {@code archive}, each archived message passed through
     * {@code shown} (what the requester may see of it), none up to {@code floor}. The caller
     * decided the requester may read it.
     */
    Element query(IqRequest r, String owner, Jid archive, UnaryOperator<Element> shown, long floor) {
        // Everything this node archived before the query arrived is committed first: a client
        // that saw a stanza-id live and pages after it cannot miss an earlier one still queued.
        writer.flush(flushTimeout);
        // ... and what other nodes' writers may still hold of what this node showed the user.
        remote.awaitDelivered(owner, id -> store.contains(owner, id));
        MamQuery q = MamQuery.parse(r.payload(), defaultPage, maxPage,
                id -> remote.visible(id, i -> store.contains(owner, i))).above(floor);
        String ownerJid = archive.bare().toString();
        String withJid = q.with() == null ? null : q.with().bare().toString();
        String withResource = q.with() == null ? null : q.with().resource();
        List<ArchiveRecord> page;
        boolean complete;
        Long count;
        if (q.ids() != null) {
            page = new ArrayList<>();
            for (long id : q.ids()) {
                page.addAll(store.query(new ArchiveQuery(owner, ownerJid, id - 1, id + 1, withJid, withResource, q.fulltext(),
                        1, false)));
            }
            complete = true;
            count = (long) page.size();
        } else {
            long lower = Math.max(q.lower(), q.pageLower());
            long upper = Math.min(q.upper(), q.pageUpper());
            List<ArchiveRecord> rows = q.max() == 0 || lower >= upper - 1 ? List.of()
                    : store.query(new ArchiveQuery(owner, ownerJid, lower, upper, withJid, withResource, q.fulltext(),
                            q.max() + 1, q.backwards()));
            complete = rows.size() <= q.max();
            page = new ArrayList<>(rows.subList(0, Math.min(q.max(), rows.size())));
            if (q.backwards()) {
                Collections.reverse(page);
            }
            count = count(q, owner, ownerJid, withJid, withResource, complete, page.size());
            if (q.max() == 0) {
                complete = count == 0;
            }
        }
        if (q.flip()) {
            Collections.reverse(page);
        }
        for (ArchiveRecord m : page) {
            Stanza result = Stanza.message(archive, r.from(), null, result(q.queryId(), m, shown));
            if (r.origin() != null) {
                router.deliver(r.origin(), result);
            } else {
                router.route(result);
            }
        }
        RsmSet set = page.isEmpty() ? RsmSet.page(null, null, count)
                : RsmSet.page(ArchiveIds.format(page.get(0).id()), ArchiveIds.format(page.get(page.size() - 1).id()), count);
        return MamElements.fin(complete, set.toElement());
    }

    /**
     * The RSM count (XEP-0059 §2.7), or null to leave it out. Counting reads an index entry per
     * message of the result set, which for a page deep in a large archive costs far more than the
     * page itself: past archive.countLimit messages the count is left out (XEP-0059 allows
     * omitting a count that is "exceptionally resource intensive"; clients page by
     * {@code <fin complete>}). A client that asks for the count alone (max 0) always gets it.
     */
    private Long count(MamQuery q, String owner, String ownerJid, String withJid, String withResource,
                       boolean complete, int pageSize) {
        boolean unpaged = q.pageLower() == Long.MIN_VALUE && q.pageUpper() == Long.MAX_VALUE;
        if (complete && unpaged && q.max() > 0) {
            return (long) pageSize; // the page is the whole result set
        }
        ArchiveQuery all = new ArchiveQuery(owner, ownerJid, q.lower(), q.upper(), withJid, withResource, q.fulltext(), 0, false);
        if (q.max() == 0) {
            return store.count(all);
        }
        long n = store.count(all, countLimit);
        return n > countLimit ? null : n;
    }

    private static Element result(String queryId, ArchiveRecord m, UnaryOperator<Element> shown) {
        Element message = shown.apply(XmlStrings.parse(m.stanza()).withNamespace(Namespaces.CLIENT));
        return Element.builder("result", MamElements.NAMESPACE)
                .attr("queryid", queryId)
                .attr("id", ArchiveIds.format(m.id()))
                .child(new Forwarded(new Delay(ArchiveIds.time(m.id()), null), message).toElement())
                .build();
    }

    /** A user's archive is theirs alone. */
    static void requireSelf(IqRequest r) {
        if (!r.isSelf()) {
            throw new StanzaErrorException(Condition.FORBIDDEN, "only the owner may read this archive");
        }
    }
}
