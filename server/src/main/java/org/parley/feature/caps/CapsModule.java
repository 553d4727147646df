package org.parley.feature.caps;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.parley.config.Option;
import org.parley.module.ClientFeatures;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.IqTracker;
import org.parley.route.Router;
import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.session.SessionListener;
import org.parley.store.sql.Database;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entity capabilities of clients (XEP-0115). Other modules ask {@link #features(Session)} for any
 * session, local or on another cluster node (its presence travels with the directory and verified
 * entries are in the shared store), and hear through {@link #onFeatures} when a local session's
 * features become known.
 */
public final class CapsModule implements Module, SessionListener, ClientFeatures {
    private static final Logger log = LoggerFactory.getLogger(CapsModule.class);
    /** The ver whose features listeners last heard for this session. */
    private static final SessionKey<String> ANNOUNCED = new SessionKey<>("caps.announced");
    /** The last verified features of a local session, used while a changed ver is being verified. */
    private static final SessionKey<Set<String>> LAST_KNOWN = new SessionKey<>("caps.lastKnown");
    /**
     * The vers a session announced that did not verify: that session is not asked again for them.
     * Kept per session rather than globally, so one client's mismatch (a lie, or a reply for caps it
     * had already changed) cannot stop other clients with the same ver from being verified.
     */
    private static final SessionKey<Set<String>> REJECTED = new SessionKey<>("caps.rejected");
    private static final int MAX_CACHED = 10_000;

    public static final Option<Duration> QUERY_TIMEOUT = Option.duration("queryTimeout", Duration.ofSeconds(30),
            Duration.ofSeconds(1), Duration.ofMinutes(10), "how long a client's disco#info answer is waited for");

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Verified entries are few in practice and never change; a flood of made-up ones only evicts others. */
    private final Cache<String, Set<String>> verified = Caffeine.newBuilder().maximumSize(MAX_CACHED).build();
    private final ConcurrentHashMap<String, Set<Session>> inFlight = new ConcurrentHashMap<>();
    private CapsStore store;
    private Router router;
    private IqTracker tracker;
    private Jid serverJid;
    private Duration timeout;

    @Override
    public String name() {
        return "caps";
    }

    @Override
    public void openStorage(Database database) {
        database.migrate(name());
        store = new SqlCapsStore(database);
    }

    @Override
    public List<Option<?>> options() {
        return List.of(QUERY_TIMEOUT);
    }

    @Override
    public void start(ModuleContext ctx) {
        router = ctx.router();
        tracker = ctx.router().iqTracker();
        serverJid = ctx.serverJid();
        timeout = ctx.option(QUERY_TIMEOUT);
        ctx.listener(this);
        ctx.features().boundStreamFeature(new ServerCaps(ctx.features()));
    }

    @Override
    public void onFeatures(Listener listener) {
        listeners.add(listener);
    }

    /**
     * The verified features the session's current presence announces; empty when unknown. A
     * local session whose new ver is still being verified keeps its previous features meanwhile,
     * so a client that changes its caps does not miss notifications in between.
     */
    @Override
    public Set<String> features(Session session) {
        Caps caps = Caps.from(session.presence());
        if (caps == null) {
            return Set.of();
        }
        Optional<Set<String>> f = known(caps);
        if (f.isPresent()) {
            return f.get();
        }
        Set<String> last = session.isLocal() ? session.get(LAST_KNOWN) : null;
        return last == null ? Set.of() : last;
    }

    private static String key(Caps caps) {
        return caps.hash() + ' ' + caps.ver();
    }

    private Optional<Set<String>> known(Caps caps) {
        String key = key(caps);
        Set<String> f = verified.getIfPresent(key);
        if (f != null) {
            return Optional.of(f);
        }
        // Another node may have verified it: the store is shared.
        Optional<Set<String>> stored = store.features(caps.hash(), caps.ver()).map(Set::copyOf);
        stored.ifPresent(s -> verified.put(key, s));
        return stored;
    }

    @Override
    public void presenceChanged(Session session, Stanza presence) {
        Caps caps = Caps.from(presence);
        if (caps == null) {
            session.put(ANNOUNCED, null);
            session.put(LAST_KNOWN, null);
            return;
        }
        Optional<Set<String>> f = known(caps);
        if (f.isPresent()) {
            announce(session, caps, f.get());
            return;
        }
        String key = key(caps);
        Set<String> rejected = session.get(REJECTED);
        if ((rejected != null && rejected.contains(key)) || !VerificationString.supported(caps.hash())) {
            return;
        }
        boolean[] first = {false};
        inFlight.compute(key, (k, waiting) -> {
            if (waiting == null) {
                waiting = ConcurrentHashMap.newKeySet();
                first[0] = true;
            }
            waiting.add(session);
            return waiting;
        });
        if (first[0]) {
            query(session, caps);
        }
    }

    /** §6.2: asks the announcing entity itself for disco#info of node#ver. */
    private void query(Session asked, Caps caps) {
        Jid full = asked.jid();
        String id = tracker.nextId();
        tracker.expect(id, full, timeout).whenComplete((answer, failure) -> {
            try {
                verify(caps, failure == null ? answer : null, asked);
            } catch (RuntimeException e) {
                log.warn("caps verification of {} failed: {}", caps.ver(), e.toString());
                inFlight.remove(key(caps));
            }
        });
        Element query = Element.builder("query", Namespaces.DISCO_INFO)
                .attr("node", caps.node() + "#" + caps.ver()).build();
        router.route(Stanza.iq(serverJid, full, "get", id, query));
    }

    private void verify(Caps caps, Stanza answer, Session asked) {
        String key = key(caps);
        Element query = answer == null || !"result".equals(answer.type()) ? null
                : answer.element().element("query", Namespaces.DISCO_INFO);
        if (query == null) {
            // No answer or an error: ask another waiting session; the next presence may ask again.
            retryWithAnother(caps, asked);
            return;
        }
        if (!caps.ver().equals(VerificationString.ver(query, caps.hash()))) {
            log.debug("caps ver {} does not match the disco#info of {}", caps.ver(), answer.from());
            Set<String> rejected = asked.get(REJECTED);
            if (rejected == null) {
                rejected = ConcurrentHashMap.newKeySet();
                asked.put(REJECTED, rejected);
            }
            if (rejected.size() < 100) {
                rejected.add(key);
            }
            retryWithAnother(caps, asked);
            return;
        }
        List<String> features = VerificationString.features(query);
        store.put(caps.hash(), caps.ver(), features);
        Set<String> f = Set.copyOf(features);
        verified.put(key, f);
        Set<Session> waiting = inFlight.remove(key);
        if (waiting != null) {
            for (Session s : waiting) {
                Caps now = Caps.from(s.presence());
                if (now != null && key(now).equals(key)) {
                    announce(s, now, f);
                }
            }
        }
    }

    /** Others announcing the same ver were waiting on the rejected answer: ask one of them instead. */
    private void retryWithAnother(Caps caps, Session rejected) {
        String key = key(caps);
        Session[] next = {null};
        inFlight.computeIfPresent(key, (k, waiting) -> {
            waiting.remove(rejected);
            waiting.removeIf(s -> {
                Caps now = Caps.from(s.presence());
                return now == null || !key(now).equals(key);
            });
            if (waiting.isEmpty()) {
                return null;
            }
            next[0] = waiting.iterator().next();
            return waiting;
        });
        if (next[0] != null) {
            query(next[0], caps);
        }
    }

    private void announce(Session session, Caps caps, Set<String> features) {
        session.put(LAST_KNOWN, features);
        synchronized (session) {
            if (caps.ver().equals(session.get(ANNOUNCED))) {
                return;
            }
            session.put(ANNOUNCED, caps.ver());
        }
        for (Listener l : listeners) {
            try {
                l.featuresKnown(session, features);
            } catch (RuntimeException e) {
                log.error("caps listener failed for {}", session.jid(), e);
            }
        }
    }

    @Override
    public void closed(Session session) {
        inFlight.values().forEach(w -> w.remove(session));
    }
}
