package org.parley;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.FunctionCounter;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.parley.auth.AuthThrottle;
import org.parley.auth.SaslMechanisms;
import org.parley.c2s.ClientAddresses;
import org.parley.c2s.LoginAdmission;
import org.parley.c2s.SessionServices;
import org.parley.c2s.StreamStop;
import org.parley.cluster.Cluster;
import org.parley.component.ComponentListener;
import org.parley.component.ComponentRoutes;
import org.parley.config.Config;
import org.parley.config.Section;
import org.parley.eventloop.EventLoops;
import org.parley.feature.adhoc.AdHocModule;
import org.parley.feature.admin.AdminModule;
import org.parley.feature.blocking.BlockingModule;
import org.parley.feature.caps.CapsModule;
import org.parley.feature.carbons.CarbonsModule;
import org.parley.feature.contact.ContactAddressesModule;
import org.parley.feature.csi.CsiModule;
import org.parley.feature.disco.DiscoModule;
import org.parley.feature.extdisco.ExternalServicesModule;
import org.parley.feature.last.LastActivityModule;
import org.parley.feature.mam.MamModule;
import org.parley.feature.muc.MucModule;
import org.parley.feature.offline.OfflineModule;
import org.parley.feature.pep.PepModule;
import org.parley.feature.ping.PingModule;
import org.parley.feature.presence.PresenceModule;
import org.parley.feature.privatexml.PrivateStorageModule;
import org.parley.feature.push.PushModule;
import org.parley.feature.register.RegisterModule;
import org.parley.feature.reporting.ReportingModule;
import org.parley.feature.roster.RosterModule;
import org.parley.feature.sm.StreamManagementModule;
import org.parley.feature.strangers.StrangersModule;
import org.parley.feature.upload.UploadModule;
import org.parley.feature.vcard.VCardModule;
import org.parley.feature.version.VersionModule;
import org.parley.http.HttpListener;
import org.parley.http.HttpRoutes;
import org.parley.metrics.MetricsRoutes;
import org.parley.metrics.ServerMetrics;
import org.parley.module.Features;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.net.C2sListener;
import org.parley.net.BoshEndpoint;
import org.parley.net.HostMeta;
import org.parley.net.WebSocketEndpoint;
import org.parley.net.tls.CertificateFiles;
import org.parley.net.tls.TlsContexts;
import org.parley.route.Directory;
import org.parley.route.Handlers;
import org.parley.route.IqTracker;
import org.parley.route.LocalDirectory;
import org.parley.route.Router;
import org.parley.session.Session;
import org.parley.store.Stores;
import org.parley.store.sql.Database;
import org.parley.store.sql.SqlStores;
import org.parley.xmpp.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Parley server: builds the whole object graph by constructor from a {@link Config}, opens
 * the store, starts the modules in a fixed order and binds the listeners. Nothing is static, so
 * several servers can run in one JVM.
 */
public final class Server implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Server.class);

    private final Config config;
    private final List<Module> modules;
    private final Jid serverJid;
    private final List<C2sListener> listeners = new ArrayList<>();
    private final Set<Session> streams = ConcurrentHashMap.newKeySet();
    private Database database;
    private Stores stores;
    private Directory directory;
    private Handlers handlers;
    private Cluster cluster;
    private EventLoops loops;
    private ExecutorService sessionExecutor;
    /** Logins' turns at the database; null until started. */
    private LoginAdmission admission;
    private ScheduledExecutorService scheduler;
    private InetSocketAddress c2sAddress;
    private InetSocketAddress directTlsAddress;
    private CertificateFiles certificate;
    private ServerMetrics metrics;
    private HttpRoutes httpRoutes;
    private final List<HttpListener> httpListeners = new ArrayList<>();
    private ExecutorService httpExecutor;
    private InetSocketAddress httpAddress;
    private InetSocketAddress httpsAddress;
    private InetSocketAddress metricsAddress;
    private ComponentListener componentListener;
    private InetSocketAddress componentAddress;
    private volatile boolean started;

    public Server(Config config) {
        this(config, defaultModules());
    }

    /**
     * @throws IllegalArgumentException when {@code config} was not loaded with these modules' sections
     *                                  ({@link #sections}): their options would not have been checked
     */
    public Server(Config config, List<Module> modules) {
        this.config = config;
        this.modules = List.copyOf(modules);
        this.serverJid = Jid.domain(config.domain());
        for (Section s : sections(this.modules)) {
            if (!config.module(s.name()).section().equals(s)) {
                throw new IllegalArgumentException("the configuration's section " + s.name()
                        + " was loaded with other options than the module declares");
            }
        }
    }

    /** The configuration sections of {@code modules}, for {@link org.parley.config.ConfigLoader#load}. */
    public static List<Section> sections(List<Module> modules) {
        return modules.stream().filter(m -> !m.options().isEmpty())
                .map(m -> new Section(m.section(), m.options())).toList();
    }

    /** The sections of {@link #defaultModules()}: what {@code parley start} and the tests load. */
    public static List<Section> defaultSections() {
        return sections(defaultModules());
    }

    /**
     * The modules of a standard server. Their order does not decide the order of their hooks:
     * each hook declares its {@link org.parley.route.Stage} (see {@code docs/architecture.md},
     * "Hook order"); only {@link PepModule} needs {@link CapsModule}, {@link AdminModule} and
     * {@link StrangersModule} the {@link AdHocModule} they offer commands through,
     * {@link ReportingModule} the {@link BlockingModule} whose requests carry reports, and
     * {@link MucModule} the archives of {@link MamModule} its rooms keep their messages in and the
     * notifications of {@link PushModule} its members may ask for, which they are given (modules
     * start in this order, so a module starts after the one it is given).
     */
    public static List<Module> defaultModules() {
        CapsModule caps = new CapsModule();
        AdHocModule adhoc = new AdHocModule();
        BlockingModule blocking = new BlockingModule();
        MamModule mam = new MamModule();
        PushModule push = new PushModule();
        return List.of(
                new PresenceModule(),
                blocking,
                new ReportingModule(blocking),
                new RosterModule(),
                new DiscoModule(),
                new ContactAddressesModule(),
                new VersionModule(),
                new PingModule(),
                new VCardModule(),
                new RegisterModule(),
                new LastActivityModule(),
                caps,
                new PepModule(caps),
                new CarbonsModule(),
                mam,
                new CsiModule(),
                new StreamManagementModule(),
                push,
                new UploadModule(),
                new OfflineModule(),
                new MucModule(mam.serviceArchives(), push.notifications()),
                new PrivateStorageModule(),
                new ExternalServicesModule(),
                adhoc,
                new AdminModule(adhoc),
                new StrangersModule(adhoc));
    }

    public synchronized void start() {
        if (started) {
            return;
        }
        try {
            database = Database.open(config.database().url(), config.database().poolSize(),
                    config.database().connectTimeout(), config.database().mmapBytes(), Clock.systemUTC());
            stores = new SqlStores(database);
            // Each module's schema and store, before any module starts (see Module.openStorage).
            for (Module m : modules) {
                m.openStorage(database);
            }
            metrics = new ServerMetrics();
            Gauge.builder("parley.c2s.streams", streams, Set::size)
                    .description("open client streams, negotiating or bound").register(metrics.registry());
            certificate = TlsContexts.certificateFiles(config);
            SslContext ssl = TlsContexts.server(certificate);
            scheduler = timer();
            sessionExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("parley-session-", 0).factory());
            // Cluster mode (cluster.nodeId set) shares sessions through Redis; otherwise one node's table.
            cluster = config.cluster().clustered() ? new Cluster(config.cluster(), metrics.registry()) : null;
            directory = cluster == null ? new LocalDirectory() : cluster.directory();
            Handlers handlers = new Handlers();
            Features features = new Features();
            ComponentRoutes componentRoutes = new ComponentRoutes(config.components().services());
            httpRoutes = new HttpRoutes(config.http(), this::derivedPublicUrl);
            MetricsRoutes.health(httpRoutes);
            if (config.metrics().http()) {
                MetricsRoutes.metrics(httpRoutes, metrics.registry());
            }
            Router router = new Router(serverJid, directory, handlers, stores.accounts()::exists, new IqTracker(scheduler),
                    componentRoutes);
            // XEP-0030 §4: the server's items are the services it hosts, here its external components.
            config.components().services().keySet().forEach(features::serverItem);
            ModuleContext context = new ModuleContext(config, serverJid, stores, router, directory, handlers,
                    features, Clock.systemUTC(), scheduler,
                    cluster == null ? new org.parley.module.LocalUserLocks() : cluster.userLocks(),
                    cluster == null ? new org.parley.module.LocalInvalidations() : cluster.invalidations(), httpRoutes,
                    cluster == null ? new org.parley.module.LocalOwnership() : cluster.ownership());
            for (Module m : modules) {
                m.start(context.forModule(m));
            }
            checkServiceDomains(handlers, componentRoutes);
            handlers.seal();
            this.handlers = handlers;
            SaslMechanisms sasl = new SaslMechanisms(stores.accounts()::credentials, config.domain(),
                    config.auth().scramIterations(), new java.security.SecureRandom());
            org.parley.c2s.InboundBudget inbound = new org.parley.c2s.InboundBudget(config.c2s().maxQueuedBytes());
            Gauge.builder("parley.c2s.inbound.queued", inbound, org.parley.c2s.InboundBudget::queuedBytes).baseUnit("bytes")
                    .description("clients' input parsed and not yet processed, estimated (c2s.maxQueuedBytes bounds it)")
                    .register(metrics.registry());
            int turns = config.auth().concurrentLogins() > 0 ? config.auth().concurrentLogins()
                    : config.database().poolSize();
            admission = new LoginAdmission(turns, config.auth().maxWaitingLogins());
            Gauge.builder("parley.c2s.logins.waiting", admission, LoginAdmission::waiting)
                    .description("logins waiting for their turn to read credentials (auth.maxWaitingLogins bounds it)")
                    .register(metrics.registry());
            FunctionCounter.builder("parley.c2s.logins.refused", admission, LoginAdmission::refused)
                    .description("logins refused with temporary-auth-failure because auth.maxWaitingLogins waited already")
                    .register(metrics.registry());
            SessionServices services = new SessionServices(config, serverJid, router, directory, handlers, features,
                    sasl, sessionExecutor, scheduler, streams,
                    new ClientAddresses(config.c2s().maxUnauthenticatedPerAddress()),
                    new AuthThrottle(config.auth().freeFailures(), config.auth().freeAccountFailures(),
                            config.auth().throttleDelay(), config.auth().maxThrottleDelay(),
                            config.auth().throttleWindow(), Clock.systemUTC()),
                    inbound, admission);
            // XEP-0156: the web transports this server offers, listed at /.well-known/host-meta.
            Map<String, String> webTransports = new LinkedHashMap<>();
            if (WebSocketEndpoint.install(httpRoutes, services)) {
                webTransports.put(HostMeta.WEBSOCKET, WebSocketEndpoint.PATH);
            }
            if (BoshEndpoint.install(httpRoutes, services)) {
                webTransports.put(HostMeta.BOSH, BoshEndpoint.PATH);
            }
            HostMeta.install(httpRoutes, webTransports);
            httpRoutes.seal();
            if (cluster != null) {
                cluster.start(router, handlers); // before any client can bind
            }
            loops = EventLoops.start(config.network().transport());
            C2sListener c2s = new C2sListener(services, ssl, false);
            listeners.add(c2s);
            c2sAddress = listen("c2s.port", config.c2s().bindAddress(), config.c2s().port(),
                    (a, p) -> c2s.bind(loops, a, p));
            if (config.c2s().directTlsPort() >= 0) {
                C2sListener tls = new C2sListener(services, ssl, true);
                listeners.add(tls);
                directTlsAddress = listen("c2s.directTlsPort", config.c2s().bindAddress(), config.c2s().directTlsPort(),
                        (a, p) -> tls.bind(loops, a, p));
            }
            if (!config.components().services().isEmpty()) {
                componentListener = new ComponentListener(serverJid, config.components().services(), directory, router,
                        sessionExecutor, new org.parley.xml.XmlLimits(config.limits().maxStanzaBytes(),
                        config.limits().maxDepth()));
                ComponentListener components = componentListener;
                componentAddress = listen("components.port", config.components().bindAddress(),
                        config.components().port(), (a, p) -> components.bind(loops, a, p));
            }
            startHttp();
            started = true;
            banner();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Binds one listener; a port another process holds is named by its setting, so the operator knows what to change. */
    private static InetSocketAddress listen(String setting, String address, int port, Bind bind)
            throws InterruptedException {
        try {
            return bind.on(address, port);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // Netty's sync() rethrows the bind's IOException unchecked
            throw new IllegalStateException("cannot listen on " + address + ":" + port + " (" + setting + "): "
                    + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Bind {
        InetSocketAddress on(String address, int port) throws Exception;
    }

    /** A service domain an external component would also serve is a configuration error, not a silent shadowing. */
    private static void checkServiceDomains(Handlers handlers, ComponentRoutes components) {
        for (String domain : handlers.serviceDomains()) {
            if (components.route(domain) != null) {
                throw new IllegalStateException("the service domain " + domain
                        + " is also an external component's (components.services): give one of them another domain");
            }
        }
    }

    /** The HTTP listeners (plain, TLS) over the modules' routes, and the metrics-only port when set. */
    private void startHttp() throws InterruptedException {
        httpExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("parley-http-", 0).factory());
        String address = config.http().bindAddress();
        if (config.http().port() >= 0) {
            HttpListener plain = httpListener(httpRoutes, null);
            httpAddress = listen("http.port", address, config.http().port(), (a, p) -> plain.bind(loops, a, p));
        }
        if (config.http().tlsPort() >= 0) {
            SslContext https = TlsContexts.server(certificate, List.of(ApplicationProtocolNames.HTTP_1_1));
            HttpListener tls = httpListener(httpRoutes, https);
            httpsAddress = listen("http.tlsPort", address, config.http().tlsPort(), (a, p) -> tls.bind(loops, a, p));
        }
        if (config.metrics().port() >= 0) {
            HttpRoutes metricsOnly = new HttpRoutes(config.http());
            MetricsRoutes.health(metricsOnly);
            MetricsRoutes.metrics(metricsOnly, metrics.registry());
            metricsOnly.seal();
            HttpListener metricsListener = httpListener(metricsOnly, null);
            metricsAddress = listen("metrics.port", config.metrics().bindAddress(), config.metrics().port(),
                    (a, p) -> metricsListener.bind(loops, a, p));
        }
    }

    /**
     * The base URL when {@code http.publicUrl} is unset: {@code https://<domain>[:<TLS port>]} when
     * the TLS port is open (links should be encrypted), else {@code http://<domain>[:<port>]}, the
     * scheme's default port left out; null before the ports are bound or with both off.
     */
    private URI derivedPublicUrl() {
        if (httpsPort() >= 0) {
            return URI.create("https://" + config.domain() + (httpsPort() == 443 ? "" : ":" + httpsPort()));
        }
        if (httpPort() >= 0) {
            return URI.create("http://" + config.domain() + (httpPort() == 80 ? "" : ":" + httpPort()));
        }
        return null;
    }

    private HttpListener httpListener(HttpRoutes routes, SslContext ssl) {
        HttpListener l = new HttpListener(routes, config.http(), ssl, httpExecutor, Clock.systemUTC());
        httpListeners.add(l);
        return l;
    }

    private void banner() {
        log.info("Parley serving {} (data in {}, database {}, network {})", config.domain(),
                config.server().dataDir().toAbsolutePath().normalize(),
                config.database().isSqlite() ? "SQLite" : "PostgreSQL", loops.transport().name().toLowerCase(Locale.ROOT));
        String bind = config.c2s().bindAddress();
        log.info("client connections: {}:{} ({}), {}", bind, c2sPort(),
                config.c2s().allowPlaintext() ? "STARTTLS optional: plaintext allowed" : "STARTTLS required",
                directTlsAddress == null ? "direct TLS off" : bind + ":" + directTlsPort() + " (direct TLS)");
        // Both fingerprints: Gajim and browsers show SHA-256, Profanity's prompt SHA-1.
        log.info("TLS certificate {}{}, SHA-256 {}, SHA-1 {}", certificate.certificate(),
                certificate.selfSigned() ? " (self-signed)" : "", TlsContexts.sha256Fingerprint(certificate.certificate()),
                TlsContexts.sha1Fingerprint(certificate.certificate()));
        if (cluster != null) {
            log.info("cluster node {} (Redis {})", cluster.nodeId(),
                    config.cluster().redisUrl().replaceAll("//[^@/]*@", "//***@"));
        }
        if (componentAddress != null) {
            log.info("external components (XEP-0114): {}:{} for {}", config.components().bindAddress(),
                    componentPort(), String.join(", ", config.components().services().keySet()));
        }
        if (httpAddress != null || httpsAddress != null) {
            String address = config.http().bindAddress();
            log.info("HTTP: {}{}{}, links as {}", httpAddress == null ? "" : "http://" + address + ":"
                    + httpPort(), httpAddress != null && httpsAddress != null ? " and " : "",
                    httpsAddress == null ? "" : "https://" + address + ":" + httpsPort(),
                    httpRoutes.publicUrl());
        }
        if (metricsAddress != null) {
            log.info("metrics: http://{}:{}/metrics (Prometheus)", config.metrics().bindAddress(), metricsPort());
        }
        // As README writes it: a bare name is an account at the served domain.
        log.info("create an account with: ./parley user add alice");
    }

    public Config config() {
        return config;
    }

    /** The socket transport every listener runs on ({@code network.transport}); null before start. */
    public EventLoops.Transport transport() {
        return loops == null ? null : loops.transport();
    }

    /** The bound STARTTLS port (the real one when the config asked for 0). */
    public int c2sPort() {
        return c2sAddress.getPort();
    }

    /** The bound direct TLS port, or -1 when it is off. */
    public int directTlsPort() {
        return port(directTlsAddress);
    }

    private static int port(InetSocketAddress bound) {
        return bound == null ? -1 : bound.getPort();
    }

    /** The bound component port, or -1 when no component is configured. */
    public int componentPort() {
        return port(componentAddress);
    }

    public Stores stores() {
        return stores;
    }

    /** The database every store is on: for operators' tools and tests that read a feature's store. */
    public Database database() {
        return database;
    }

    /** Where sessions are found: for operators' tools and tests that need a session's state. */
    public Directory directory() {
        return directory;
    }

    /** The bound plain HTTP port, or -1 when it is off. */
    public int httpPort() {
        return port(httpAddress);
    }

    /** The bound HTTPS port, or -1 when it is off. */
    public int httpsPort() {
        return port(httpsAddress);
    }

    /** The HTTP routes, with the public base URL links are made from. */
    public HttpRoutes http() {
        return httpRoutes;
    }

    /** The bound metrics-only port, or -1 when {@code metrics.port} is off. */
    public int metricsPort() {
        return port(metricsAddress);
    }

    /**
     * The hooks of a phase in the order they run, each as {@code STAGE name} (see
     * {@link org.parley.route.Stage}); for operators' diagnostics and the hook order test.
     */
    public List<String> hookOrder(org.parley.route.Phase phase) {
        return handlers == null ? List.of() : handlers.hookOrder(phase);
    }

    /** This server's meters; features and tests read them here. */
    public io.micrometer.core.instrument.MeterRegistry meters() {
        return metrics.registry();
    }

    /**
     * The stop, in the order that loses nothing: stop accepting; in a cluster, leave the directory
     * (other nodes route elsewhere); end every stream with system-shutdown (or hand a resumable
     * session over to another node); wait until every session has ended, which is when its
     * contacts were told it left and what it had not delivered went to offline storage; only then
     * stop the cluster's bus, the modules and the stores those endings use.
     */
    @Override
    public synchronized void close() {
        long deadline = System.nanoTime() + config.c2s().stopTimeout().toNanos();
        for (C2sListener l : listeners) {
            l.close();
        }
        listeners.clear();
        if (componentListener != null) {
            componentListener.close();
            componentListener = null;
            componentAddress = null;
        }
        for (HttpListener l : httpListeners) {
            l.stopAccepting(); // the streams over WebSocket and BOSH end below, with the others
        }
        httpAddress = null;
        httpsAddress = null;
        metricsAddress = null;
        if (cluster != null) {
            // Other nodes stop routing to this node's sessions before they end, so nothing they
            // send is written to a stream that is closing.
            cluster.withdraw();
        }
        // Before anything the sessions' endings use stops: the bus, the modules, the stores. They
        // stopped after a fixed 5 s before, and thousands of sessions still ending on a loaded
        // machine failed to tell their contacts, each failure logged ("HikariDataSource ... has
        // been closed").
        if (admission != null) {
            admission.close(); // logins waiting for a turn give up: their streams end below
        }
        int left = new StreamStop(streams).endAll(cluster == null ? null : cluster::handOver, deadline);
        if (left > 0) {
            log.warn("{} sessions were still ending when c2s.stopTimeout ({}) ran out: their contacts may not "
                    + "hear they left, and what they had not delivered may be lost", left, config.c2s().stopTimeout());
        }
        for (HttpListener l : httpListeners) {
            l.close(); // its connections close: handlers waiting on a body or a client see it and end
        }
        httpListeners.clear();
        if (loops != null) {
            loops.close();
            loops = null;
        }
        if (httpExecutor != null) {
            httpExecutor.shutdown();
            try {
                httpExecutor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            httpExecutor = null;
        }
        if (sessionExecutor != null) {
            sessionExecutor.shutdown();
            try {
                sessionExecutor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sessionExecutor = null;
        }
        // After the streams ended (their unbinds reached Redis), before the stores close: stanzas
        // still arriving from other nodes go to offline storage.
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
        for (Module m : modules) {
            try {
                m.stop();
            } catch (RuntimeException e) {
                log.warn("module {} failed to stop", m.name(), e);
            }
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        if (stores != null) {
            stores.close(); // and the database with them
            stores = null;
            database = null;
        }
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
        if (started) {
            log.info("Parley stopped");
        }
        started = false;
    }

    /**
     * The server's one timer thread. A cancelled timer leaves its queue at once: every connection
     * schedules its c2s.authTimeout and cancels it when bound, and a cancelled task left queued
     * until its time would hold memory per session for that long.
     */
    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("parley-timer", true));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
