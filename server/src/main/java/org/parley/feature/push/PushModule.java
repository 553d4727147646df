package org.parley.feature.push;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.parley.config.Option;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.Directory;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.route.Phase;
import org.parley.route.Stage;
import org.parley.session.Session;
import org.parley.session.SessionListener;
import org.parley.store.StoreException;
import org.parley.store.sql.Database;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XEP-0357 on the user's server: the enable/disable IQs on the account, the triggers (a message
 * going to offline storage; a message delivered to a session that is detached awaiting
 * resumption while no other session is active; messages left unacknowledged in a session that
 * has just become detached), and the answers of the app servers, where an error disables the
 * registration.
 */
public final class PushModule implements Module, SessionListener {
    private static final Logger log = LoggerFactory.getLogger(PushModule.class);

    public static final Option<Integer> MAX_REGISTRATIONS = Option.integer("maxRegistrations", 10, 1, 1000,
            "XEP-0357 push registrations per user");
    public static final Option<Duration> MIN_INTERVAL = Option.duration("minInterval", Duration.ofSeconds(1),
            Duration.ZERO, Duration.ofHours(1), "at most one push per registration in this interval");
    public static final Option<Boolean> INCLUDE_BODY = Option.bool("includeBody", false,
            "put the message body in the push summary");
    /** How long past the end of a resumption window a covered message is still remembered. */
    private static final Duration SLACK = Duration.ofMinutes(1);

    private PushStore store;
    private Directory directory;
    private PushNotifier notifier;
    private ExecutorService executor;
    private int maxRegistrations;
    private PushedMessages pushed;
    private Clock clock;
    private final PushNotifications notifications = new PushNotifications();

    /** Notifications other features send for messages a user misses (group chat rooms). */
    public PushNotifications notifications() {
        return notifications;
    }

    @Override
    public String name() {
        return "push";
    }

    @Override
    public void openStorage(Database database) {
        database.migrate(name());
        store = new SqlPushStore(database);
    }

    @Override
    public List<Option<?>> options() {
        return List.of(MAX_REGISTRATIONS, MIN_INTERVAL, INCLUDE_BODY);
    }

    @Override
    public void start(ModuleContext ctx) {
        directory = ctx.directory();
        maxRegistrations = ctx.option(MAX_REGISTRATIONS);
        clock = ctx.clock();
        pushed = new PushedMessages(100_000);
        executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("parley-push-", 0).factory());
        notifier = new PushNotifier(store, ctx.router(), ctx.serverJid(), executor, ctx.scheduler(), ctx.clock(),
                ctx.option(MIN_INTERVAL), ctx.option(INCLUDE_BODY));
        notifications.start(notifier, ctx.serverJid());
        // XEP-0357 §4: support is announced on the account (the user's bare JID).
        ctx.features().accountFeature(PushElements.NAMESPACE);
        ctx.iqSet(IqScope.ACCOUNT, PushElements.ENABLE, this::enable);
        ctx.iqSet(IqScope.ACCOUNT, PushElements.DISABLE, this::disable);
        ctx.hook(Phase.INBOUND, Stage.HANDLE, "push.answers", this::answer);
        ctx.hook(Phase.DELIVER, Stage.COPY, "push.detached", this::delivering);
        ctx.hook(Phase.UNDELIVERED, Stage.COPY, "push.missed", this::undelivered);
        ctx.listener(this);
    }

    @Override
    public void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private Element enable(IqRequest r) {
        requireSelf(r);
        PushElements.Enable e = PushElements.Enable.from(r.payload());
        String owner = r.from().local();
        PushRegistration registration = new PushRegistration(e.jid().toString(), e.node(),
                e.publishOptions() == null ? null : e.publishOptions().toElement().toXml());
        if (!store.enable(owner, registration, maxRegistrations)) {
            throw new StanzaErrorException(Condition.RESOURCE_CONSTRAINT,
                    "at most " + maxRegistrations + " push registrations per account");
        }
        return null;
    }

    private Element disable(IqRequest r) {
        requireSelf(r);
        PushElements.Disable d = PushElements.Disable.from(r.payload());
        String owner = r.from().local();
        store.disable(owner, d.jid().toString(), d.node());
        notifier.forget(owner, d.jid().toString(), d.node());
        return null;
    }

    /** Only the account itself manages its registrations (XEP-0357 §5: sent to the user's own account). */
    private static void requireSelf(IqRequest r) {
        if (!r.isSelf()) {
            throw new StanzaErrorException(Condition.FORBIDDEN);
        }
    }

    /** UNDELIVERED: no session takes the message (it goes to offline storage next). */
    private Stanza undelivered(Stanza s, Session ignored) {
        String body = body(s);
        if (body != null && s.to() != null && s.to().local() != null && !pushed.takeCovered(s.to().bare(), s)) {
            notifier.messageMissed(s.to().local(), s.from(), body);
        }
        return s;
    }

    /**
     * DELIVER: a session detached awaiting resumption takes the message, but no device shows it.
     * Notify once per message (for the first detached receiver), and only when no other session
     * of the user would show it.
     */
    private Stanza delivering(Stanza s, Session session) {
        if (session == null || !session.isDetached()) {
            return s;
        }
        String body = body(s);
        if (body == null) {
            return s;
        }
        Jid user = session.jid().bare();
        List<Session> sessions = directory.sessions(user);
        if (shownElsewhere(s, sessions, session)) {
            return s;
        }
        if (s.to() == null || s.to().isBare()) {
            // A message to the bare JID reaches every detached session: the first one notifies.
            Session first = null;
            for (Session other : sessions) {
                if (other.isDetached()) {
                    first = other;
                    break;
                }
            }
            if (first != session) {
                return s;
            }
        }
        pushed.covered(user, s, coverFor(session));
        notifier.messageMissed(user.local(), s.from(), body);
        return s;
    }

    /**
     * The session just lost its connection: messages written to it that the client never
     * acknowledged may never have reached the device (a phone whose network died silently), and
     * nothing new will come to trigger a notice for them. One notice sums them up, as Prosody's
     * mod_cloud_notify does when a session hibernates. Those delivered from now on go through
     * {@link #delivering}.
     */
    @Override
    public void detached(Session session, List<Stanza> unacknowledged) {
        Jid user = session.jid().bare();
        List<Session> sessions = null;
        int count = 0;
        Jid sender = null;
        String body = null;
        for (Stanza s : unacknowledged) {
            String b = body(s);
            if (b == null) {
                continue;
            }
            if (sessions == null) {
                sessions = directory.sessions(user);
            }
            if (!shownElsewhere(s, sessions, session)) {
                pushed.covered(user, s, coverFor(session));
                count++;
                sender = s.from();
                body = b;
            }
        }
        if (count > 0) {
            notifier.messagesMissed(user.local(), count, sender, body);
        }
    }

    /**
     * A message waiting in a detached session goes to offline storage when the session's window
     * closes (the session says when): remember it that long, and a little more.
     */
    private Duration coverFor(Session detached) {
        Instant until = detached.detachedUntil();
        Duration left = until == null ? Duration.ZERO : Duration.between(clock.instant(), until);
        return (left.isNegative() ? Duration.ZERO : left).plus(SLACK);
    }

    /**
     * Whether a connected session other than {@code receiver} shows the message now: for a
     * message to the bare JID, one that RFC 6121 §8.5.2.1.1 delivers it to (non-negative
     * priority); for one to a full JID, any available one (the user is at a device).
     */
    private static boolean shownElsewhere(Stanza s, List<Session> sessions, Session receiver) {
        boolean bare = s.to() == null || s.to().isBare();
        for (Session other : sessions) {
            if (other != receiver && other.isAvailable() && !other.isDetached() && (!bare || other.priority() >= 0)) {
                return true;
            }
        }
        return false;
    }

    /** A chat or normal message's body; null for anything else or an empty body. */
    private static String body(Stanza s) {
        if (!s.isMessage()) {
            return null;
        }
        String type = s.type() == null ? "normal" : s.type();
        if (!type.equals("chat") && !type.equals("normal")) {
            return null;
        }
        String body = s.element().childText("body", Namespaces.CLIENT);
        return body == null || body.isEmpty() ? null : body;
    }

    /**
     * INBOUND: the app server's answer to a publish, addressed to the account it was sent from.
     * An error means the app server no longer takes this registration (XEP-0357 §7: the server
     * SHOULD consider that JID and node disabled), except errors that say it could not be reached
     * or asks to wait: a restarting app server must not cost every user their notifications.
     */
    private Stanza answer(Stanza s, Session ignored) {
        if (!s.isIq() || s.to() == null || s.to().local() == null || s.from() == null) {
            return s;
        }
        String digest = PushNotifier.digestOf(s.id());
        if (digest == null || !("result".equals(s.type()) || "error".equals(s.type()))) {
            return s;
        }
        if ("error".equals(s.type()) && disables(StanzaError.from(s.element()))) {
            String owner = s.to().local();
            String appServer = s.from().toString();
            notifier.onStripe(owner, () -> disableAfterError(owner, appServer, digest));
        }
        return null;
    }

    private static boolean disables(StanzaError error) {
        if (error == null) {
            return true;
        }
        return error.type() != StanzaError.Type.WAIT
                && error.condition() != Condition.SERVICE_UNAVAILABLE
                && error.condition() != Condition.REMOTE_SERVER_NOT_FOUND
                && error.condition() != Condition.REMOTE_SERVER_TIMEOUT;
    }

    private void disableAfterError(String owner, String appServer, String digest) {
        try {
            List<PushRegistration> registrations = store.list(owner);
            for (PushRegistration r : registrations) {
                if (r.jid().equals(appServer) && PushNotifier.nodeDigest(r.node()).equals(digest)) {
                    store.disable(owner, r.jid(), r.node());
                    notifier.forget(owner, r.jid(), r.node());
                    log.info("push: {} answered an error, registration of {} disabled", appServer, owner);
                }
            }
        } catch (StoreException e) {
            log.warn("push: cannot disable a registration of {}: {}", owner, e.getMessage());
        }
    }
}
