package org.parley.module;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.parley.config.Config;
import org.parley.route.Directory;
import org.parley.route.Handlers;
import org.parley.route.IqHandler;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.route.Phase;
import org.parley.route.Router;
import org.parley.route.StanzaHook;
import org.parley.session.NonzaHandler;
import org.parley.session.SessionListener;
import org.parley.store.Stores;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * Everything a module may use, handed to it by the {@code Server} that owns it: configuration,
 * stores, the router and directory, a clock and a scheduler, and the registration points for
 * IQ handlers, stanza hooks, session listeners and announced features.
 */
public final class ModuleContext {
    private final Config config;
    private final Jid serverJid;
    private final Stores stores;
    private final Router router;
    private final Directory directory;
    private final Handlers handlers;
    private final Features features;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final UserLocks userLocks;
    private final Invalidations invalidations;
    private final PendingWrites pendingWrites = new PendingWrites();

    public ModuleContext(Config config, Jid serverJid, Stores stores, Router router, Directory directory,
                         Handlers handlers, Features features, Clock clock, ScheduledExecutorService scheduler,
                         UserLocks userLocks) {
        this(config, serverJid, stores, router, directory, handlers, features, clock, scheduler, userLocks,
                new LocalInvalidations());
    }

    public ModuleContext(Config config, Jid serverJid, Stores stores, Router router, Directory directory,
                         Handlers handlers, Features features, Clock clock, ScheduledExecutorService scheduler,
                         UserLocks userLocks, Invalidations invalidations) {
        this.invalidations = invalidations;
        this.config = config;
        this.serverJid = serverJid;
        this.stores = stores;
        this.router = router;
        this.directory = directory;
        this.handlers = handlers;
        this.features = features;
        this.clock = clock;
        this.scheduler = scheduler;
        this.userLocks = userLocks;
    }

    /** Per-user locks for read-modify-write of a user's state; cluster-wide in cluster mode. */
    public UserLocks userLocks() {
        return userLocks;
    }

    /** Writes accepted now and made durable in a later group commit; acknowledgements wait for them. */
    public PendingWrites pendingWrites() {
        return pendingWrites;
    }

    /** Cache invalidation that reaches every node of a cluster. */
    public Invalidations invalidations() {
        return invalidations;
    }

    public Config config() {
        return config;
    }

    /** The server's own address, its domain. */
    public Jid serverJid() {
        return serverJid;
    }

    public Stores stores() {
        return stores;
    }

    public Router router() {
        return router;
    }

    public Directory directory() {
        return directory;
    }

    public Features features() {
        return features;
    }

    public Clock clock() {
        return clock;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Answers IQ gets with this payload QName in this scope. */
    public void iqGet(IqScope scope, QName payload, IqHandler handler) {
        handlers.iq(scope, false, payload, handler);
    }

    /** Answers IQ sets with this payload QName in this scope. */
    public void iqSet(IqScope scope, QName payload, IqHandler handler) {
        handlers.iq(scope, true, payload, handler);
    }

    /**
     * Runs whichever module's account IQ handler takes {@code payload} as if {@code user} had sent
     * the IQ to its own account, and returns the result payload (null for an empty result). For a
     * module that acts on a user's behalf in a store another module owns (a protocol that mirrors
     * another, say), so that module's rules, limits and notifications apply and neither names the
     * other. Nothing is sent to the user. Throws {@link StanzaErrorException} with the error the
     * handler would have answered, {@code service-unavailable} when no module takes the payload.
     */
    public Element onBehalfOf(Jid user, boolean set, Element payload) {
        IqHandler handler = handlers.iqHandler(IqScope.ACCOUNT, set, QName.of(payload));
        if (handler == null) {
            throw new StanzaErrorException(Condition.SERVICE_UNAVAILABLE);
        }
        Jid account = user.bare();
        Stanza iq = Stanza.iq(user, account, set ? "set" : "get", "internal", payload);
        Element result = handler.handle(new IqRequest(iq, null, account, true));
        if (result == IqHandler.ANSWERED) {
            // Such a handler has sent its reply, to the user, itself: not for use on a user's behalf.
            throw new IllegalStateException("the handler of " + QName.of(payload) + " answers by itself");
        }
        return result;
    }

    public void hook(Phase phase, StanzaHook hook) {
        handlers.hook(phase, hook);
    }

    public void listener(SessionListener listener) {
        handlers.listener(listener);
    }

    /** Owns the top-level non-stanza elements of {@code namespace} on authenticated client streams. */
    public void nonza(String namespace, NonzaHandler handler) {
        handlers.nonza(namespace, handler);
    }
}
