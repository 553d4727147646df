package org.parley.module;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.parley.auth.CredentialFactory;
import org.parley.config.Config;
import org.parley.config.Option;
import org.parley.config.SectionValues;
import org.parley.http.HttpRoutes;
import org.parley.route.Directory;
import org.parley.route.Handlers;
import org.parley.route.IqHandler;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.route.Phase;
import org.parley.route.Router;
import org.parley.route.ServiceReceiver;
import org.parley.route.Stage;
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
 * Everything a module may use, handed to it by the {@code Server} that owns it: its own options,
 * stores, the router and directory, a clock and a scheduler, user locks, entity ownership and
 * invalidations, and the registration points for IQ handlers, stanza hooks, service domains,
 * session listeners, announced features and HTTP routes.
 *
 * <p>A module reads only the options it declares ({@link #option}); of the core's settings it sees
 * only what this class offers on purpose ({@link #credentials}, {@link #clusterNodeId},
 * {@link #storeTimeout}, the HTTP routes' {@link HttpRoutes#publicUrl}), so no feature depends on
 * another's settings or on how the core is tuned.
 */
public final class ModuleContext {
    private final Config config;
    private final CredentialFactory credentials;
    /** The module this context was made for by {@link #forModule}; null in the server's own. */
    private final Module module;
    private final SectionValues options;
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
    private final Ownership ownership;
    /** One per server, shared by every module's context: writers and acknowledgers meet there. */
    private final PendingWrites pendingWrites;
    private final HttpRoutes http;

    public ModuleContext(Config config, Jid serverJid, Stores stores, Router router, Directory directory,
                         Handlers handlers, Features features, Clock clock, ScheduledExecutorService scheduler,
                         UserLocks userLocks) {
        this(config, serverJid, stores, router, directory, handlers, features, clock, scheduler, userLocks,
                new LocalInvalidations());
    }

    public ModuleContext(Config config, Jid serverJid, Stores stores, Router router, Directory directory,
                         Handlers handlers, Features features, Clock clock, ScheduledExecutorService scheduler,
                         UserLocks userLocks, Invalidations invalidations) {
        this(config, serverJid, stores, router, directory, handlers, features, clock, scheduler, userLocks,
                invalidations, new HttpRoutes(config.http()), new LocalOwnership());
    }

    public ModuleContext(Config config, Jid serverJid, Stores stores, Router router, Directory directory,
                         Handlers handlers, Features features, Clock clock, ScheduledExecutorService scheduler,
                         UserLocks userLocks, Invalidations invalidations, HttpRoutes http, Ownership ownership) {
        this.http = http;
        this.invalidations = invalidations;
        this.ownership = ownership;
        this.config = config;
        this.credentials = new CredentialFactory(config.auth().scramIterations(), new SecureRandom());
        this.module = null;
        this.options = null;
        this.serverJid = serverJid;
        this.stores = stores;
        this.router = router;
        this.directory = directory;
        this.handlers = handlers;
        this.features = features;
        this.clock = clock;
        this.scheduler = scheduler;
        this.userLocks = userLocks;
        this.pendingWrites = new PendingWrites();
    }

    private ModuleContext(ModuleContext base, Module module, SectionValues options) {
        this.config = base.config;
        this.credentials = base.credentials;
        this.module = module;
        this.options = options;
        this.serverJid = base.serverJid;
        this.stores = base.stores;
        this.router = base.router;
        this.directory = base.directory;
        this.handlers = base.handlers;
        this.features = base.features;
        this.clock = base.clock;
        this.scheduler = base.scheduler;
        this.userLocks = base.userLocks;
        this.invalidations = base.invalidations;
        this.ownership = base.ownership;
        this.pendingWrites = base.pendingWrites;
        this.http = base.http;
    }

    /**
     * The context {@code module} starts with: the same services, and the values of the options it
     * declares.
     *
     * @throws IllegalArgumentException when the configuration was loaded without the module's section
     */
    public ModuleContext forModule(Module module) {
        return new ModuleContext(this, module, module.options().isEmpty() ? null : config.module(module.section()));
    }

    /**
     * The value of one of this module's options, as the operator gave it or its default; checked
     * against the option's bounds when the server started.
     *
     * @throws IllegalArgumentException when the module does not list {@code option} in {@link Module#options()}:
     *                                  a module reads only its own settings
     */
    public <T> T option(Option<T> option) {
        if (module == null) {
            throw new IllegalStateException("options are read through the context of a module: forModule(module)");
        }
        if (options == null || !module.options().contains(option)) {
            throw new IllegalArgumentException("module " + module.name() + " reads option " + option.name()
                    + " but does not declare it in options()");
        }
        return options.get(option);
    }

    /** Derives a new password's credentials with the server's SCRAM settings. */
    public CredentialFactory credentials() {
        return credentials;
    }

    /** This node's name when the server runs as a node of a cluster; empty on a single node. */
    public Optional<String> clusterNodeId() {
        return Optional.ofNullable(config.cluster().nodeId());
    }

    /** The server's data directory ({@code dataDir}), for files a module keeps beside the database (uploads). */
    public java.nio.file.Path dataDir() {
        return config.server().dataDir();
    }

    /** How long a store call may wait for a database connection before it fails. */
    public Duration storeTimeout() {
        return config.database().connectTimeout();
    }

    /** Per-user locks for read-modify-write of a user's state; cluster-wide in cluster mode. */
    public UserLocks userLocks() {
        return userLocks;
    }

    /** One owner node per named entity (a room), cluster-wide in cluster mode. */
    public Ownership ownership() {
        return ownership;
    }

    /** Writes accepted now and made durable in a later group commit; acknowledgements wait for them. */
    public PendingWrites pendingWrites() {
        return pendingWrites;
    }

    /** Cache invalidation that reaches every node of a cluster. */
    public Invalidations invalidations() {
        return invalidations;
    }

    /**
     * The HTTP route seam: endpoints this module serves on the server's HTTP listener, added while
     * it starts, and the public base URL for links it hands out.
     */
    public HttpRoutes http() {
        return http;
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

    /**
     * A stanza hook of {@code phase}, run in {@code stage} and, within it, in the order of
     * {@code name} ({@code <module>.<purpose>}, unique in the phase). The order of modules never
     * matters: a hook that must see another's effect declares a later stage (see {@link Stage}).
     */
    public void hook(Phase phase, Stage stage, String name, StanzaHook hook) {
        handlers.hook(phase, stage, name, hook);
    }

    /**
     * Hosts a service at {@code domain} (see {@link ServiceDomain}): {@code receiver} gets the
     * messages, presences and IQ answers addressed to the domain and every JID at it, and the
     * returned handle takes the service's IQ handlers and disco declarations. The domain must be
     * neither the server's nor a configured component's (the server refuses to start).
     */
    public ServiceDomain serviceDomain(String domain, ServiceReceiver receiver) {
        Jid jid = Jid.domain(domain);
        if (jid.domain().equals(serverJid.domain())) {
            throw new IllegalArgumentException("a service cannot be hosted at the server's own domain " + domain);
        }
        handlers.service(jid, receiver);
        ServiceDomain service = new ServiceDomain(jid, handlers, router);
        features.service(service);
        return service;
    }

    public void listener(SessionListener listener) {
        handlers.listener(listener);
    }

    /** Owns the top-level non-stanza elements of {@code namespace} on authenticated client streams. */
    public void nonza(String namespace, NonzaHandler handler) {
        handlers.nonza(namespace, handler);
    }

    /**
     * Answers the top-level non-stanza elements of {@code namespace} that a client sends before it
     * authenticated (the stream stays open); without one they end the stream with not-authorized.
     */
    public void unauthenticatedNonza(String namespace, NonzaHandler handler) {
        handlers.unauthenticatedNonza(namespace, handler);
    }
}
