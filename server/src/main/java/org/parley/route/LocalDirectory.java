package org.parley.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.session.Session;
import org.parley.xmpp.Jid;

/**
 * The session table of one node: bare JID to an array of sessions. A user has few resources,
 * so each change copies the small array; lookups on the routing path take no lock.
 */
public final class LocalDirectory implements Directory {
    private static final Session[] NONE = new Session[0];

    private final ConcurrentHashMap<Jid, Session[]> byBare = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    @Override
    public Session session(Jid full) {
        Session[] sessions = byBare.get(full.bare());
        if (sessions != null) {
            for (Session s : sessions) {
                if (s.jid().equals(full)) {
                    return s;
                }
            }
        }
        return null;
    }

    @Override
    public List<Session> sessions(Jid bare) {
        Session[] sessions = byBare.get(bare);
        return sessions == null ? List.of() : Arrays.asList(sessions);
    }

    @Override
    public Session bind(Session session) {
        Session[] replaced = new Session[1];
        byBare.compute(session.jid().bare(), (k, current) -> {
            if (current == null) {
                return new Session[] {session};
            }
            for (int i = 0; i < current.length; i++) {
                if (current[i].jid().equals(session.jid())) {
                    replaced[0] = current[i];
                    Session[] copy = current.clone();
                    copy[i] = session;
                    return copy;
                }
            }
            Session[] copy = Arrays.copyOf(current, current.length + 1);
            copy[current.length] = session;
            return copy;
        });
        if (replaced[0] == null) {
            size.incrementAndGet();
        }
        return replaced[0];
    }

    @Override
    public boolean unbind(Session session) {
        boolean[] removed = new boolean[1];
        byBare.computeIfPresent(session.jid().bare(), (k, current) -> {
            List<Session> keep = new ArrayList<>(current.length);
            for (Session s : current) {
                if (s == session) {
                    removed[0] = true;
                } else {
                    keep.add(s);
                }
            }
            return keep.isEmpty() ? null : keep.toArray(NONE);
        });
        if (removed[0]) {
            size.decrementAndGet();
        }
        return removed[0];
    }

    @Override
    public int size() {
        return size.get();
    }

    @Override
    public List<Session> all() {
        List<Session> out = new ArrayList<>(size.get());
        for (Session[] sessions : byBare.values()) {
            out.addAll(Arrays.asList(sessions));
        }
        return out;
    }
}
