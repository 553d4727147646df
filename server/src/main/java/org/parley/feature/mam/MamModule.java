package org.parley.feature.mam;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.parley.config.Option;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.IqScope;
import org.parley.route.Phase;
import org.parley.route.Stage;
import org.parley.session.Session;
import org.parley.store.sql.Database;
import org.parley.xml.Element;
import org.parley.xml.Node;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XEP-0313 message archive of every account: archives one-to-one messages for both ends as they
 * are routed, stamps the recipient's copy with its XEP-0359 stanza-id, and answers queries and
 * preferences on the account's bare JID.
 */
public final class MamModule implements Module {
    private static final Logger log = LoggerFactory.getLogger(MamModule.class);
    /** Rows queued for the writer at most, in batches of archive.writeBatch: beyond, senders wait. */
    private static final int PENDING_BATCHES = 2;
    private static final int MIN_PENDING = 1_000;
    private static final int RETENTION_CHUNK = 10_000;

    private String domain;
    private ArchiveStore store;
    private ArchivePolicy policy;
    private ArchiveWriter writer;
    private RemoteRows remote;
    private ScheduledFuture<?> retention;
    private final ServiceArchives services = new ServiceArchives();

    @Override
    public String name() {
        return "mam";
    }

    /**
     * The archives of the entities services host (group chat rooms), in this module's store and
     * writer; they keep nothing until this module has started with the archive enabled.
     */
    public ServiceArchives serviceArchives() {
        return services;
    }

    /** Operators know it as the archive. */
    @Override
    public String section() {
        return "archive";
    }

    @Override
    public List<Option<?>> options() {
        return MamOptions.ALL;
    }

    @Override
    public void openStorage(Database database) {
        database.migrate(name());
        store = new SqlArchiveStore(database);
    }

    @Override
    public void start(ModuleContext ctx) {
        if (!ctx.option(MamOptions.ENABLED)) {
            return;
        }
        domain = ctx.serverJid().domain();
        policy = new ArchivePolicy(store, ctx.stores().roster(), ctx.option(MamOptions.DEFAULT_MODE));
        policy.listen(ctx.invalidations());
        int node = ArchiveIds.nodeNumber(ctx.option(MamOptions.NODE_NUMBER), ctx.clusterNodeId().orElse(null));
        int batch = ctx.option(MamOptions.WRITE_BATCH);
        Duration delay = ctx.option(MamOptions.WRITE_DELAY);
        writer = new ArchiveWriter(store, ctx.clock(), node, batch, delay,
                Math.max(MIN_PENDING, PENDING_BATCHES * batch), ctx.option(MamOptions.MAX_PENDING_BYTES),
                "parley-archive-" + node);
        writer.start();
        // A stanza acknowledged to its sender (XEP-0198) has its archive rows committed first.
        ctx.pendingWrites().register(writer::written);
        // A query waits this long at most for the writer (whose transaction first waits for a
        // connection) before answering internal-server-error.
        Duration flushTimeout = ctx.storeTimeout().multipliedBy(2);
        remote = new RemoteRows(node, ctx.clock(), delay.plusSeconds(2));
        MamQueries queries = new MamQueries(store, writer, ctx.router(), flushTimeout,
                ctx.option(MamOptions.DEFAULT_PAGE_SIZE), ctx.option(MamOptions.MAX_PAGE_SIZE),
                ctx.option(MamOptions.COUNT_LIMIT), remote);
        services.start(store, writer, queries, flushTimeout);
        MamPrefs prefs = new MamPrefs(policy);
        // STAMP: copies (carbons) are made after it, so they carry the ids; FINAL: then the
        // sender's id, which only the sender's copies may carry, comes off the original.
        ctx.hook(Phase.INBOUND, Stage.STAMP, "mam.archive", this::inbound);
        ctx.hook(Phase.INBOUND, Stage.FINAL, "mam.unstamp", this::unstamp);
        if (ctx.clusterNodeId().isPresent()) {
            // only another node's ids need remembering
            ctx.hook(Phase.DELIVER, Stage.COPY, "mam.delivered", this::delivering);
            ctx.listener(new InDoubtReplay(store, writer, ctx.router(), flushTimeout));
        }
        ctx.iqSet(IqScope.ACCOUNT, new QName(MamElements.NAMESPACE, "query"), queries::query);
        ctx.iqGet(IqScope.ACCOUNT, new QName(MamElements.NAMESPACE, "query"), r -> queries.form(r));
        ctx.iqGet(IqScope.ACCOUNT, new QName(MamElements.NAMESPACE, "prefs"), prefs::get);
        ctx.iqSet(IqScope.ACCOUNT, new QName(MamElements.NAMESPACE, "prefs"), prefs::set);
        ctx.features().accountFeature(MamElements.NAMESPACE);
        // Also on the server's domain, as Prosody and ejabberd do: some clients (Profanity) look there.
        ctx.features().serverFeature(MamElements.NAMESPACE);
        ctx.features().accountFeature(MamElements.EXTENDED);
        ctx.features().accountFeature(MamElements.FULLTEXT);
        ctx.features().accountFeature(Namespaces.STANZA_ID);
        Duration keep = ctx.option(MamOptions.RETENTION);
        if (!keep.isZero()) {
            long every = Math.max(60_000, Math.min(keep.toMillis() / 10, 3_600_000));
            retention = ctx.scheduler().scheduleWithFixedDelay(() -> expire(ctx, keep), every, every,
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Strips stanza-ids that claim to be ours (XEP-0359 §5), then archives the message for each
     * local end whose preferences keep it and stamps it with the id under each archive's address
     * (XEP-0313 §3.5 'by'): the recipient's for the recipient; the sender's so that the copies
     * of the sender's other resources (carbons, XEP-0313 §3.5: SHOULD) carry it, removed again
     * by {@link #unstamp} before the message goes to the recipient, who may not see it.
     */
    private Stanza inbound(Stanza s, Session ignored) {
        if (!s.isMessage()) {
            return s;
        }
        Element e = stripOurIds(s.element());
        String type = s.type() == null ? "normal" : s.type();
        Jid from = s.from();
        Jid to = s.to();
        if (from == null || to == null || to.local() == null || !ArchivePolicy.worthArchiving(e, type)) {
            return e == s.element() ? s : s.withElement(e);
        }
        String fromBare = from.bare().toString();
        String toBare = to.bare().toString();
        String sender = from.local() != null && from.domain().equals(domain) && policy.keeps(from.local(), toBare)
                ? from.local() : null;
        String recipient = policy.keeps(to.local(), fromBare) ? to.local() : null;
        if (sender == null && recipient == null) {
            return e == s.element() ? s : s.withElement(e);
        }
        String xml = e.toXml();
        String body = e.childText("body", e.namespace());
        long id = writer.submit(n -> new ArchiveRecord(n, sender, recipient, fromBare, from.resource(), toBare,
                to.resource(), body, xml));
        if (recipient != null) {
            e = e.withChild(MamElements.stanzaId(toBare, ArchiveIds.format(id)));
        }
        if (sender != null && !fromBare.equals(toBare)) {
            e = e.withChild(MamElements.stanzaId(fromBare, ArchiveIds.format(id)));
        }
        return s.withElement(e);
    }

    /**
     * XEP-0313 §3.5: the sender's archive id is not for the recipient. Only this module's own
     * stamp can be there ({@link #inbound} stripped any a client wrote in our domain).
     */
    private Stanza unstamp(Stanza s, Session ignored) {
        Jid from = s.from();
        if (!s.isMessage() || from == null || from.local() == null || !from.domain().equals(domain)
                || from.sameBare(s.to())) {
            return s;
        }
        String fromBare = from.bare().toString();
        Element e = s.element().withoutChildren(
                c -> c.is("stanza-id", Namespaces.STANZA_ID) && fromBare.equals(c.attr("by")));
        return e == s.element() ? s : s.withElement(e);
    }

    /** DELIVER: note the ids other nodes took for what this node shows its users (see RemoteRows). */
    private Stanza delivering(Stanza s, Session session) {
        if (!s.isMessage() || s.to() == null || s.to().local() == null) {
            return s;
        }
        for (Element sid : s.element().elements("stanza-id", Namespaces.STANZA_ID)) {
            long id = s.to().bare().toString().equals(sid.attr("by")) ? ArchiveIds.parse(sid.attr("id")) : -1;
            if (id >= 0) {
                remote.delivered(s.to().local(), id);
            }
        }
        return s;
    }

    private Element stripOurIds(Element message) {
        Element out = message;
        for (Node n : message.children()) {
            if (n instanceof Element c && c.is("stanza-id", Namespaces.STANZA_ID)) {
                Jid by = Jid.parseOrNull(c.attr("by"));
                if (by == null || by.domain().equals(domain)) {
                    out = out.withoutChildren("stanza-id", Namespaces.STANZA_ID);
                    // withoutChildren removed them all; re-add the ones other entities vouch for
                    for (Node k : message.children()) {
                        if (k instanceof Element o && o.is("stanza-id", Namespaces.STANZA_ID)) {
                            Jid b = Jid.parseOrNull(o.attr("by"));
                            if (b != null && !b.domain().equals(domain)) {
                                out = out.withChild(o);
                            }
                        }
                    }
                    return out;
                }
            }
        }
        return out;
    }

    private void expire(ModuleContext ctx, Duration keep) {
        try {
            long before = ArchiveIds.firstAt(Instant.now(ctx.clock()).minus(keep));
            int n;
            int total = 0;
            do {
                n = store.deleteBefore(before, RETENTION_CHUNK);
                total += n;
            } while (n == RETENTION_CHUNK);
            if (total > 0) {
                log.info("archive retention removed {} messages older than {}", total, keep);
            }
        } catch (RuntimeException e) {
            log.warn("archive retention failed: {}", e.getMessage());
        }
    }

    @Override
    public void stop() {
        if (retention != null) {
            retention.cancel(false);
        }
        if (writer != null) {
            writer.close();
        }
    }
}
