package org.parley.feature.last;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.config.Option;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.Directory;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.route.Phase;
import org.parley.route.Stage;
import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.session.SessionListener;
import org.parley.store.RosterStore;
import org.parley.store.sql.Database;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** Last Activity (XEP-0012): see the package documentation. */
public final class LastActivityModule implements Module, SessionListener {
    /** The status of the session's last unavailable presence, kept until it is available again or ends. */
    private static final SessionKey<Status> LEFT_WITH = new SessionKey<>("last.status");
    /** Set once the session was available: only such a session's end is a logout to record. */
    private static final SessionKey<Boolean> WAS_AVAILABLE = new SessionKey<>("last.wasAvailable");
    private static final QName QUERY = new QName(LastQuery.NAMESPACE, LastQuery.ELEMENT);

    private record Status(String text) {
    }

    /**
     * Logouts written per transaction at most, and how many more may wait while one is written.
     * 1,000 rows are a transaction of a few milliseconds; the map of those waiting stays small.
     */
    public static final Option<Integer> WRITE_BATCH = Option.integer("writeBatch", 1000, 1, 100_000,
            "logouts recorded per transaction at most; while one is written up to this many more wait, past which logouts wait for it");

    private LastActivityStore store;
    private LogoutWrites writes;
    private RosterStore roster;
    private Directory directory;
    private Clock clock;
    private Instant started;

    @Override
    public String name() {
        return "last";
    }

    @Override
    public void openStorage(Database database) {
        database.migrate(name());
        store = new SqlLastActivityStore(database);
    }

    @Override
    public List<Option<?>> options() {
        return List.of(WRITE_BATCH);
    }

    @Override
    public void start(ModuleContext ctx) {
        writes = new LogoutWrites(store, ctx.option(WRITE_BATCH));
        roster = ctx.stores().roster();
        directory = ctx.directory();
        clock = ctx.clock();
        started = clock.instant();
        ctx.iqGet(IqScope.ACCOUNT, QUERY, this::user);
        ctx.iqGet(IqScope.SERVER, QUERY, r -> new LastQuery(secondsSince(started), null).toElement());
        ctx.hook(Phase.DELIVER, Stage.COPY, "last.unavailable", this::ownUnavailable);
        ctx.listener(this);
        ctx.features().serverFeature(LastQuery.NAMESPACE);
        ctx.features().accountFeature(LastQuery.NAMESPACE);
    }

    /** §3: the user and contacts who may see the user's presence learn when the user left. */
    private Element user(IqRequest request) {
        Jid user = request.target();
        Jid from = request.from();
        if (from == null || !(request.isSelf() || roster.item(user.local(), from.bare().toString())
                .map(i -> i.subscription().hasFrom()).orElse(false))) {
            throw new StanzaErrorException(Condition.FORBIDDEN);
        }
        if (anyAvailable(user, null)) {
            return new LastQuery(0, null).toElement();
        }
        LastActivity last = store.get(user.local()).orElseThrow(
                () -> new StanzaErrorException(Condition.ITEM_NOT_FOUND, "no logout recorded yet"));
        return new LastQuery(secondsSince(last.at()), last.status()).toElement();
    }

    private long secondsSince(Instant at) {
        return Math.max(0, Duration.between(at, clock.instant()).toSeconds());
    }

    private boolean anyAvailable(Jid user, Session except) {
        for (Session s : directory.sessions(user.bare())) {
            if (s != except && s.isAvailable() && !s.jid().equals(except == null ? null : except.jid())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The DELIVER hook sees the echo of a session's own unavailable broadcast (RFC 6121 §4.5.2),
     * the one place its status text passes through after the presence feature consumed it.
     */
    private Stanza ownUnavailable(Stanza s, Session target) {
        if (s.isPresence() && "unavailable".equals(s.type()) && target.jid().equals(s.from())) {
            Status status = new Status(s.element().childText("status", s.element().namespace()));
            target.put(LEFT_WITH, status);
            if (!anyAvailable(target.jid(), target)) {
                record(target, status.text());
            }
        }
        return s;
    }

    /** Best effort (a database outage must not hold up the presence broadcast or the logout), batched with others. */
    private void record(Session session, String status) {
        writes.record(session.jid().local(), new LastActivity(clock.instant(), status));
    }

    @Override
    public void availabilityChanged(Session session, boolean available, boolean initial) {
        if (available) {
            session.put(LEFT_WITH, null);
            session.put(WAS_AVAILABLE, Boolean.TRUE);
        }
    }

    /**
     * A logout: the last resource gone records the time, with the status it left with if any. A
     * session that was never available (it failed or was refused between binding and its first
     * presence, or never meant to show itself) leaves nothing to record, as in Prosody and
     * ejabberd, which record on the unavailable broadcast; in a burst of failing logins each such
     * write was one more wait for the database (bench/cluster.md, the scale run).
     */
    @Override
    public void closed(Session session) {
        if (isLogout(session)) {
            Status status = session.get(LEFT_WITH);
            record(session, status == null ? null : status.text());
        }
    }

    /** A dead node's sessions, ended together by the survivor: their logouts in shared transactions. */
    @Override
    public void closedAll(List<? extends Session> sessions) {
        Map<String, LastActivity> logouts = new LinkedHashMap<>();
        for (Session session : sessions) {
            if (isLogout(session)) {
                Status status = session.get(LEFT_WITH);
                logouts.put(session.jid().local(), new LastActivity(clock.instant(), status == null ? null : status.text()));
            }
        }
        writes.recordAll(logouts);
    }

    /** The session's end is the user's logout: it was available once, and it was the user's last available resource. */
    private boolean isLogout(Session session) {
        if (session.get(WAS_AVAILABLE) == null && !session.isAvailable()) {
            return false;
        }
        return !anyAvailable(session.jid(), session);
    }

}
