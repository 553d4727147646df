package org.parley.feature.push;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.Directory;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.route.Phase;
import org.parley.session.Session;
import org.parley.store.PushRegistration;
import org.parley.store.PushStore;
import org.parley.store.StoreException;
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
 * resumption while no other session is active), and the answers of the app servers, where an
 * error disables the registration.
 */
public final class PushModule implements Module {
    private static final Logger log = LoggerFactory.getLogger(PushModule.class);

    private PushStore store;
    private Directory directory;
    private PushNotifier notifier;
    private ExecutorService executor;
    private int maxRegistrations;

    @Override
    public String name() {
        return "push";
    }

    @Override
    public void start(ModuleContext ctx) {
        store = ctx.stores().push();
        directory = ctx.directory();
        maxRegistrations = ctx.config().pushMaxRegistrations();
        executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("parley-push-", 0).factory());
        notifier = new PushNotifier(store, ctx.router(), ctx.serverJid(), executor, ctx.scheduler(), ctx.clock(),
                ctx.config().pushMinInterval(), ctx.config().pushIncludeBody());
        // XEP-0357 §4: support is announced on the account (the user's bare JID).
        ctx.features().accountFeature(PushElements.NAMESPACE);
        ctx.iqSet(IqScope.ACCOUNT, PushElements.ENABLE, this::enable);
        ctx.iqSet(IqScope.ACCOUNT, PushElements.DISABLE, this::disable);
        ctx.hook(Phase.INBOUND, this::answer);
        ctx.hook(Phase.DELIVER, this::delivering);
        ctx.hook(Phase.UNDELIVERED, this::undelivered);
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
                e.publishOptions() == null ? null : e.publishOptions().toXml());
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
        if (body != null && s.to() != null && s.to().local() != null) {
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
        if (s.to() == null || s.to().isBare()) {
            for (Session other : directory.sessions(user)) {
                if (other.isAvailable() && other.priority() >= 0 && !other.isDetached()) {
                    return s; // an active session shows it
                }
            }
            Session first = null;
            for (Session other : directory.sessions(user)) {
                if (other.isDetached()) {
                    first = other;
                    break;
                }
            }
            if (first != session) {
                return s;
            }
        } else {
            for (Session other : directory.sessions(user)) {
                if (other.isAvailable() && !other.isDetached()) {
                    return s;
                }
            }
        }
        notifier.messageMissed(user.local(), s.from(), body);
        return s;
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
