package org.parley.route;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.parley.session.NonzaHandler;
import org.parley.session.Session;
import org.parley.session.SessionListener;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;

/**
 * The tables the router dispatches through: IQ handlers by (scope, service domain, type, payload
 * QName), stanza hooks by phase in their declared {@link Stage} order, the receivers of service
 * domains, and session listeners. Filled by modules while the server starts, read on every
 * stanza afterwards.
 */
public final class Handlers {

    /** {@code domain} is null except for the handlers of one service domain. */
    private record IqKey(IqScope scope, String domain, boolean set, QName payload) {
    }

    /** A hook as declared: where it runs in its phase, and the name that orders it within its stage. */
    private record Hook(Stage stage, String name, StanzaHook hook) {
    }

    /**
     * The payload key of a service's handler of last resort for IQ requests to JIDs at its domain
     * ({@link IqScope#SERVICE_JID}) whose payload no handler takes.
     */
    public static final QName ANY_PAYLOAD = new QName("urn:parley:internal", "any-payload");

    private static final Comparator<Hook> ORDER = Comparator.comparing(Hook::stage).thenComparing(Hook::name);

    private final Map<IqKey, IqHandler> iqHandlers = new HashMap<>();
    private final Map<Phase, List<Hook>> hooks = new EnumMap<>(Phase.class);
    /** Each phase's hooks in run order, rebuilt on registration so the hot path walks an array. */
    private final Map<Phase, StanzaHook[]> ordered = new EnumMap<>(Phase.class);
    private final Map<String, ServiceReceiver> services = new HashMap<>();
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, NonzaHandler> nonzas = new HashMap<>();
    private final Map<String, NonzaHandler> unauthenticatedNonzas = new HashMap<>();
    private volatile boolean sealed;

    public Handlers() {
        for (Phase p : Phase.values()) {
            hooks.put(p, new ArrayList<>());
            ordered.put(p, new StanzaHook[0]);
        }
    }

    public void iq(IqScope scope, boolean set, QName payload, IqHandler handler) {
        iq(scope, null, set, payload, handler);
    }

    /**
     * An IQ handler; {@code domain} names the service domain it serves for the service scopes
     * ({@link IqScope#SERVICE}, {@link IqScope#SERVICE_JID}), or is null for a handler of every
     * service domain and for the other scopes.
     */
    public synchronized void iq(IqScope scope, String domain, boolean set, QName payload, IqHandler handler) {
        checkOpen();
        if (iqHandlers.putIfAbsent(new IqKey(scope, domain, set, payload), handler) != null) {
            throw new IllegalStateException("two handlers for " + scope + (domain == null ? "" : " " + domain)
                    + (set ? " set " : " get ") + payload);
        }
    }

    /**
     * A stanza hook of {@code phase}, run in {@code stage} and ordered within it by {@code name}
     * ({@code <module>.<purpose>}, unique in the phase). Throws {@link IllegalStateException} for a
     * name the phase already has: two modules claiming one name is a start-up error, not a
     * silent reordering.
     */
    public synchronized void hook(Phase phase, Stage stage, String name, StanzaHook hook) {
        checkOpen();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a hook needs a name");
        }
        List<Hook> list = hooks.get(phase);
        for (Hook h : list) {
            if (h.name().equals(name)) {
                throw new IllegalStateException("two " + phase + " hooks named " + name);
            }
        }
        list.add(new Hook(stage, name, hook));
        list.sort(ORDER);
        ordered.put(phase, list.stream().map(Hook::hook).toArray(StanzaHook[]::new));
    }

    /** The names of a phase's hooks in the order they run, each as {@code STAGE name}. */
    public synchronized List<String> hookOrder(Phase phase) {
        List<String> names = new ArrayList<>();
        for (Hook h : hooks.get(phase)) {
            names.add(h.stage() + " " + h.name());
        }
        return Collections.unmodifiableList(names);
    }

    /**
     * Hosts a service domain: stanzas to {@code domain} and to every JID at it that are not IQ
     * requests a handler takes go to {@code receiver}. One receiver per domain.
     */
    public synchronized void service(Jid domain, ServiceReceiver receiver) {
        checkOpen();
        if (!domain.isDomainOnly()) {
            throw new IllegalArgumentException("a service domain is a bare domain, not " + domain);
        }
        if (services.putIfAbsent(domain.domain(), receiver) != null) {
            throw new IllegalStateException("two services at " + domain);
        }
    }

    /** The receiver of the service hosted at {@code domain}, or null. */
    public ServiceReceiver service(String domain) {
        return services.get(domain);
    }

    /** Every hosted service domain. */
    public synchronized List<String> serviceDomains() {
        return List.copyOf(services.keySet());
    }

    public void listener(SessionListener listener) {
        checkOpen();
        listeners.add(listener);
    }

    /** Handles the top-level non-stanza elements of {@code namespace} on authenticated client streams. */
    public synchronized void nonza(String namespace, NonzaHandler handler) {
        checkOpen();
        if (nonzas.putIfAbsent(namespace, handler) != null) {
            throw new IllegalStateException("two nonza handlers for " + namespace);
        }
    }

    /** The handler of non-stanza elements of this namespace, or null. */
    public NonzaHandler nonza(String namespace) {
        return nonzas.get(namespace);
    }

    /**
     * Answers the top-level non-stanza elements of {@code namespace} sent before authentication,
     * which would otherwise end the stream ({@code not-authorized}): a feature whose protocol
     * prescribes an answer there (XEP-0198 §3: {@code <failed/>}) gives it.
     */
    public synchronized void unauthenticatedNonza(String namespace, NonzaHandler handler) {
        checkOpen();
        if (unauthenticatedNonzas.putIfAbsent(namespace, handler) != null) {
            throw new IllegalStateException("two unauthenticated nonza handlers for " + namespace);
        }
    }

    /** The handler of non-stanza elements of this namespace before authentication, or null. */
    public NonzaHandler unauthenticatedNonza(String namespace) {
        return unauthenticatedNonzas.get(namespace);
    }

    /** No registrations after start: the tables are read without locks from then on. */
    public synchronized void seal() {
        sealed = true;
    }

    private void checkOpen() {
        if (sealed) {
            throw new IllegalStateException("handlers are registered while the server starts");
        }
    }

    public IqHandler iqHandler(IqScope scope, boolean set, QName payload) {
        return iqHandlers.get(new IqKey(scope, null, set, payload));
    }

    /** The handler of one service domain in a service scope, or null. */
    public IqHandler iqHandler(IqScope scope, String domain, boolean set, QName payload) {
        return iqHandlers.get(new IqKey(scope, domain, set, payload));
    }

    /** True when some handler of this scope knows the payload's namespace (for the error choice). */
    public boolean knowsNamespace(IqScope scope, String namespace) {
        return knowsNamespace(scope, null, namespace);
    }

    /** As {@link #knowsNamespace(IqScope, String)}, among one service domain's handlers. */
    public boolean knowsNamespace(IqScope scope, String domain, String namespace) {
        for (IqKey k : iqHandlers.keySet()) {
            if (k.scope() == scope && Objects.equals(k.domain(), domain)
                    && k.payload().namespace().equals(namespace)) {
                return true;
            }
        }
        return false;
    }

    /** Runs the hooks of a phase; returns null as soon as one consumes the stanza. */
    public Stanza run(Phase phase, Stanza stanza, Session session) {
        for (StanzaHook hook : ordered.get(phase)) {
            stanza = hook.apply(stanza, session);
            if (stanza == null) {
                return null;
            }
        }
        return stanza;
    }

    public List<SessionListener> listeners() {
        return listeners;
    }
}
