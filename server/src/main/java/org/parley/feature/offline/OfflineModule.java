package org.parley.feature.offline;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.parley.config.Option;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.module.UserLocks;
import org.parley.route.Directory;
import org.parley.route.Phase;
import org.parley.route.Router;
import org.parley.route.Stage;
import org.parley.session.Session;
import org.parley.session.SessionListener;
import org.parley.store.sql.Database;
import org.parley.xml.Element;
import org.parley.xml.Node;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.delay.Delay;
import org.parley.xmpp.hints.Hint;

/** Stores undeliverable messages and delivers them at the next initial presence. */
public final class OfflineModule implements Module, SessionListener {
    public static final String FEATURE = "msgoffline";
    /** Was limits.offlineMaxPerUser: the limit belongs with the store it bounds. */
    public static final Option<Integer> MAX_PER_USER = Option.integer("maxPerUser", 1000, 1, 1_000_000,
            "offline messages kept per user; more are refused").formerly("limits.offlineMaxPerUser");
    public static final Option<java.time.Duration> UNSEEN_RECHECK = Option.duration("unseenRecheck",
            java.time.Duration.ofSeconds(2), java.time.Duration.ofMillis(250), java.time.Duration.ofHours(1),
            "in a cluster, how often each node looks for messages stored offline while their user's node could "
            + "not be seen, and delivers those of its available users");
    private static final int BATCH = 500;
    /** The store stamps rows with its own clock: what it stamped a moment before this one read counts as this store's. */
    private static final long STAMP_SLACK_MILLIS = 1000;

    /** Set once a session has had its stored messages: from then on it takes late arrivals too. */

    // Storing a message and flushing the store to a session that just became available are
    // serialised per user; otherwise a message stored while the flush ran would stay behind.
    private UserLocks locks;
    /**
     * The flush this thread is running (a session's refusal reroutes the stanza synchronously, on
     * the flushing thread, back into {@link #undelivered}).
     */
    private final ThreadLocal<Flushing> flushing = new ThreadLocal<>();
    private OfflineStore store;
    private Directory directory;
    private Router router;
    private Jid server;
    private int cap;
    private java.time.Clock clock;
    /** In a cluster: the look for messages stored while their user could not be seen (see {@link UnseenSweep}). */
    private java.util.concurrent.ScheduledFuture<?> unseenRounds;

    @Override
    public String name() {
        return "offline";
    }

    @Override
    public void openStorage(Database database) {
        database.migrate(name());
        store = new SqlOfflineStore(database);
    }

    @Override
    public List<Option<?>> options() {
        return List.of(MAX_PER_USER, UNSEEN_RECHECK);
    }

    @Override
    public void start(ModuleContext ctx) {
        directory = ctx.directory();
        router = ctx.router();
        server = ctx.serverJid();
        cap = ctx.option(MAX_PER_USER);
        clock = ctx.clock();
        locks = ctx.userLocks();
        ctx.hook(Phase.UNDELIVERED, Stage.FINAL, "offline.store", this::undelivered);
        ctx.listener(this);
        ctx.features().serverFeature(FEATURE);
        if (ctx.clusterNodeId().isPresent()) {
            UnseenSweep sweep = new UnseenSweep(store, directory, server.domain(), clock,
                    session -> locks.withLock(session.jid().local(), () -> flush(session)));
            long every = ctx.option(UNSEEN_RECHECK).toMillis();
            unseenRounds = ctx.scheduler().scheduleWithFixedDelay(sweep::soon, every, every,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() {
        if (unseenRounds != null) {
            unseenRounds.cancel(false);
        }
    }

    private Stanza undelivered(Stanza s, Session ignored) {
        Flushing f = flushing.get();
        if (f != null && f.owner.equals(s.to().local())) {
            // The session this thread is flushing to refused the stored message it was handed: it is
            // still stored, in its place, and the flush leaves it there for the next login. Storing it
            // again would find its own copy (the archive's stanza-id), count it against a full store
            // (and bounce it), or add it twice.
            f.refused = true;
            return null;
        }
        String type = s.type() == null ? "normal" : s.type();
        if (!(type.equals("normal") || type.equals("chat")) || !worthKeeping(s.element())) {
            return null; // nothing a user would miss: drop silently as RFC 6121 §8.5.2.1.1 allows
        }
        Element stamped = new Delay(Instant.now(clock).truncatedTo(ChronoUnit.MILLIS), server).replaceIn(s.element());
        String owner = s.to().local();
        OfflineResult result;
        long storing = clock.millis() - STAMP_SLACK_MILLIS;
        result = locks.withLock(owner, () -> {
            OfflineResult r = store.storeOnce(owner, stamped.toXml(), cap, archiveIdMarker(s));
            // A session (here or on another node) that became available after the router looked
            // would not see this message until its next login: hand it over now. Under the user's
            // lock this cannot interleave with that session's own flush. Looked up afresh, not in
            // what a cluster node cached: a user whose node republished a moment ago (after Redis
            // came back) and ran its own pass before this row was committed is seen here.
            Jid bare = s.to().bare();
            directory.refresh(bare);
            Session late = availableSession(bare);
            if (late != null) {
                flush(late);
            } else if (r == OfflineResult.STORED && directory.mayBeUnseen(bare)) {
                // The user may be online on a node this one cannot see: marked, so that node
                // delivers it even if this one dies before it sees that node again (UnseenSweep).
                store.markUnseen(owner, storing);
            }
            return r;
        });
        if (result == OfflineResult.QUOTA_EXCEEDED) {
            // XEP-0160 §3: a full store answers service-unavailable; the text says why.
            router.bounce(s, StanzaError.of(StanzaError.Condition.SERVICE_UNAVAILABLE,
                    "the recipient's offline storage is full"));
        }
        return null;
    }

    /**
     * What identifies this message among the owner's offline messages: the id of its stanza-id
     * under the owner's address (XEP-0359), as stored ({@code id="…"}); null without one. A
     * message handed over twice (a cluster node died with it on its way, and the survivors
     * handed it over again) is then stored once.
     */
    private static String archiveIdMarker(Stanza s) {
        String by = s.to().bare().toString();
        for (Element sid : s.element().elements("stanza-id", Namespaces.STANZA_ID)) {
            if (by.equals(sid.attr("by")) && sid.attr("id") != null) {
                return "id=\"" + sid.attr("id") + "\"";
            }
        }
        return null;
    }

    /**
     * XEP-0334 hints decide when present; otherwise chat-state notifications alone are not worth
     * storing (XEP-0085 §5.6), even when they carry the conversation's {@code <thread/>}.
     */
    private static boolean worthKeeping(Element message) {
        if (Hint.NO_STORE.isIn(message)) {
            return false; // XEP-0334 §4.2
        }
        if (Hint.STORE.isIn(message)) {
            return true;
        }
        for (Node n : message.children()) {
            if (n instanceof Element e && !e.namespace().equals(Namespaces.CHAT_STATES)
                    && !e.namespace().equals(Hint.NAMESPACE) && !e.is("thread", Namespaces.CLIENT)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void availabilityChanged(Session session, boolean available, boolean initial) {
        if (!initial || session.priority() < 0) {
            return;
        }
        locks.withLock(session.jid().local(), () -> flush(session));
    }

    /**
     * After a cluster outage: messages for this session that were stored because no node could
     * see it are handed over now, not at its next login.
     */
    @Override
    public void routesRestored(Session session) {
        if (session.isAvailable() && session.priority() >= 0) {
            locks.withLock(session.jid().local(), () -> flush(session));
        }
    }

    /** What went to offline storage while a resumed session's node stopped or died reaches it now. */
    @Override
    public void adopted(Session session, org.parley.session.Adoption from) {
        if (session.isAvailable() && session.priority() >= 0) {
            String by = session.jid().bare().toString();
            locks.withLock(session.jid().local(), () -> flush(session, e -> from.firstTime(by, e)));
        }
    }

    private Session availableSession(Jid user) {
        for (Session session : directory.sessions(user)) {
            if (session.isAvailable() && session.priority() >= 0 && !session.isLeaving()) {
                return session;
            }
        }
        return null;
    }


    /** Delivers everything stored for the session's user to it, in order; call with the user's lock held. */
    private void flush(Session session) {
        flush(session, e -> true);
    }

    /**
     * The same, skipping what {@code deliver} refuses (it is removed all the same). Stops at a
     * session that stopped taking stanzas ({@link Session#isLeaving}): what is left stays stored
     * for its next login, the message it refused, if any, first, in its place.
     */
    private void flush(Session session, java.util.function.Predicate<Element> deliver) {
        String owner = session.jid().local();
        Flushing outer = flushing.get();
        Flushing f = new Flushing(owner);
        flushing.set(f);
        try {
            List<OfflineMessage> batch;
            do {
                batch = store.fetch(owner, BATCH);
                long handled = -1;
                for (OfflineMessage m : batch) {
                    // Paced by the client's reading: a thousand stored messages are no slow reader.
                    session.awaitRoom();
                    if (session.isLeaving()) {
                        break;
                    }
                    Element e = XmlStrings.parse(m.stanzaXml()).withNamespace(Namespaces.CLIENT);
                    if (deliver.test(e)) {
                        f.refused = false;
                        router.deliver(session, Stanza.of(e.withAttr("to", session.jid().toString())));
                        if (f.refused) {
                            break; // still stored: see undelivered
                        }
                    }
                    handled = m.id();
                }
                if (handled >= 0) {
                    store.delete(owner, handled);
                }
                if (session.isLeaving()) {
                    return;
                }
            } while (batch.size() == BATCH);
        } finally {
            flushing.set(outer);
        }
    }

    /** A flush this thread is running, and whether its session refused the message it was handed. */
    private static final class Flushing {
        final String owner;
        boolean refused;

        Flushing(String owner) {
            this.owner = owner;
        }
    }
}
