package org.parley.route;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.parley.session.NonzaHandler;
import org.parley.session.Session;
import org.parley.session.SessionListener;
import org.parley.xml.QName;
import org.parley.xmpp.Stanza;

/**
 * The tables the router dispatches through: IQ handlers by (scope, type, payload QName), stanza
 * hooks by phase, and session listeners. Filled by modules while the server starts, read on
 * every stanza afterwards.
 */
public final class Handlers {

    private record IqKey(IqScope scope, boolean set, QName payload) {
    }

    private final Map<IqKey, IqHandler> iqHandlers = new HashMap<>();
    private final Map<Phase, List<StanzaHook>> hooks = new EnumMap<>(Phase.class);
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, NonzaHandler> nonzas = new HashMap<>();
    private volatile boolean sealed;

    public Handlers() {
        for (Phase p : Phase.values()) {
            hooks.put(p, new ArrayList<>());
        }
    }

    public void iq(IqScope scope, boolean set, QName payload, IqHandler handler) {
        checkOpen();
        if (iqHandlers.putIfAbsent(new IqKey(scope, set, payload), handler) != null) {
            throw new IllegalStateException("two handlers for " + scope + (set ? " set " : " get ") + payload);
        }
    }

    public void hook(Phase phase, StanzaHook hook) {
        checkOpen();
        hooks.get(phase).add(hook);
    }

    public void listener(SessionListener listener) {
        checkOpen();
        listeners.add(listener);
    }

    /** Handles the top-level non-stanza elements of {@code namespace} on authenticated client streams. */
    public void nonza(String namespace, NonzaHandler handler) {
        checkOpen();
        if (nonzas.putIfAbsent(namespace, handler) != null) {
            throw new IllegalStateException("two nonza handlers for " + namespace);
        }
    }

    /** The handler of non-stanza elements of this namespace, or null. */
    public NonzaHandler nonza(String namespace) {
        return nonzas.get(namespace);
    }

    /** No registrations after start: the tables are read without locks from then on. */
    public void seal() {
        sealed = true;
    }

    private void checkOpen() {
        if (sealed) {
            throw new IllegalStateException("handlers are registered while the server starts");
        }
    }

    public IqHandler iqHandler(IqScope scope, boolean set, QName payload) {
        return iqHandlers.get(new IqKey(scope, set, payload));
    }

    /** True when some handler of this scope knows the payload's namespace (for the error choice). */
    public boolean knowsNamespace(IqScope scope, String namespace) {
        for (IqKey k : iqHandlers.keySet()) {
            if (k.scope() == scope && k.payload().namespace().equals(namespace)) {
                return true;
            }
        }
        return false;
    }

    /** Runs the hooks of a phase; returns null as soon as one consumes the stanza. */
    public Stanza run(Phase phase, Stanza stanza, Session session) {
        for (StanzaHook hook : hooks.get(phase)) {
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
