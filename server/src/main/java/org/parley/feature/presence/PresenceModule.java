package org.parley.feature.presence;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.Directory;
import org.parley.route.Phase;
import org.parley.route.Router;
import org.parley.route.Stage;
import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.session.SessionListener;
import org.parley.store.RosterItem;
import org.parley.store.RosterStore;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;

/** Presence broadcast, probes and directed presence (RFC 6121 §4). */
public final class PresenceModule implements Module, SessionListener {
    /** Entities that got directed presence from a session and must hear when it goes away (§4.6.3). */
    private static final SessionKey<Set<Jid>> DIRECTED = new SessionKey<>("presence.directed");
    /** The same, kept by the cluster beside the session (one JID per line) for when its node dies. */
    private static final String DIRECTED_SHARE = "presence.directed";

    private Router router;
    private Directory directory;
    private RosterStore roster;

    @Override
    public String name() {
        return "presence";
    }

    @Override
    public void start(ModuleContext ctx) {
        router = ctx.router();
        directory = ctx.directory();
        roster = ctx.stores().roster();
        ctx.hook(Phase.OUTBOUND, Stage.HANDLE, "presence.broadcast", this::outbound);
        ctx.hook(Phase.INBOUND, Stage.HANDLE, "presence.probes", this::inbound);
        ctx.listener(this);
    }

    private Stanza outbound(Stanza s, Session origin) {
        if (!s.isPresence()) {
            return s;
        }
        String type = s.type();
        if (s.to() == null && (type == null || type.equals("unavailable"))) {
            broadcast(s, origin);
            return null;
        }
        if (s.to() != null && origin != null && (type == null || type.equals("unavailable"))) {
            trackDirected(s, origin);
        }
        return s;
    }

    /** §4.2 and §4.4: broadcast to subscribers and own resources; probes on initial presence. */
    private void broadcast(Stanza p, Session origin) {
        boolean initial = p.type() == null && !origin.isAvailable();
        boolean leaving = p.type() != null;
        if (leaving && !origin.isAvailable()) {
            return;
        }
        // The new state first: whoever sees this broadcast (the client's own echo included) may
        // at once send to the resource and must find it available; and probe answers come back
        // synchronously, addressed to the bare JID, reaching only available resources.
        origin.updatePresence(p);
        Jid user = origin.jid().bare();
        Iterable<RosterItem> items = roster.items(user.local());
        for (RosterItem item : items) {
            if (item.subscription().hasFrom()) {
                router.route(p.withTo(Jid.of(item.jid())));
            }
        }
        if (leaving) {
            Set<Jid> directed = directed(origin);
            if (directed != null) {
                for (Jid to : directed) {
                    router.route(p.withTo(to));
                }
                origin.put(DIRECTED, null);
                directory.share(origin, DIRECTED_SHARE, null);
            }
        }
        for (Session own : directory.sessions(user)) {
            if (own.isAvailable() || own == origin) {
                router.deliver(own, p.withTo(own.jid()));
            }
        }
        if (initial) {
            for (RosterItem item : items) {
                if (item.subscription().hasTo()) {
                    router.route(Stanza.presence(user, Jid.of(item.jid()), "probe"));
                }
            }
            for (Session own : directory.sessions(user)) {
                if (own != origin && own.isAvailable()) {
                    router.deliver(origin, own.presence().withFrom(own.jid()).withTo(origin.jid()));
                }
            }
        }
    }

    private void trackDirected(Stanza s, Session origin) {
        Jid to = s.to();
        if (to.sameBare(origin.jid())) {
            return;
        }
        boolean subscribed = to.local() != null && to.domain().equals(origin.jid().domain())
                && roster.item(origin.jid().local(), to.bare().toString())
                .map(i -> i.subscription().hasFrom()).orElse(false);
        if (subscribed) {
            return;
        }
        Set<Jid> directed = origin.get(DIRECTED);
        boolean changed;
        if (s.type() == null) {
            if (directed == null) {
                directed = ConcurrentHashMap.newKeySet();
                origin.put(DIRECTED, directed);
            }
            changed = directed.add(to);
        } else {
            changed = directed != null && directed.remove(to);
        }
        if (changed) {
            // Should this node die, a survivor tells them (the cluster keeps this beside the session).
            directory.share(origin, DIRECTED_SHARE, directed.isEmpty() ? null : encode(directed));
        }
    }

    private static String encode(Set<Jid> jids) {
        StringBuilder sb = new StringBuilder();
        for (Jid j : jids) {
            sb.append(j).append('\n');
        }
        return sb.toString();
    }

    /** Whom the session sent directed presence: its own record, or for a dead node's session what that node shared. */
    private static Set<Jid> directed(Session session) {
        Set<Jid> own = session.get(DIRECTED);
        if (own != null || session.isLocal()) {
            return own;
        }
        String shared = session.shared(DIRECTED_SHARE);
        if (shared == null) {
            return null;
        }
        Set<Jid> out = new java.util.LinkedHashSet<>();
        for (String line : shared.split("\n")) {
            Jid j = Jid.parseOrNull(line);
            if (j != null) {
                out.add(j);
            }
        }
        return out;
    }

    /** §4.3.2: a probe to a user is answered by the server with the user's current presence. */
    private Stanza inbound(Stanza s, Session ignored) {
        if (!s.isPresence() || !"probe".equals(s.type()) || s.from() == null) {
            return s;
        }
        Jid user = s.to().bare();
        Jid prober = s.from();
        boolean allowed = prober.sameBare(user) || roster.item(user.local(), prober.bare().toString())
                .map(i -> i.subscription().hasFrom()).orElse(false);
        if (!allowed) {
            router.route(Stanza.presence(user, prober.bare(), "unsubscribed"));
            return null;
        }
        boolean any = false;
        for (Session session : directory.sessions(user)) {
            Stanza p = session.presence();
            if (p != null) {
                router.route(p.withFrom(session.jid()).withTo(prober));
                any = true;
            }
        }
        if (!any) {
            router.route(Stanza.presence(user, prober, "unavailable"));
        }
        return null;
    }

    /**
     * §4.6.3 for a session replaced from another cluster node: that node told the subscribers,
     * but only this node knows whom the session sent directed presence to.
     */
    @Override
    public void replacedElsewhere(Session session) {
        Set<Jid> directed = session.get(DIRECTED);
        if (directed != null) {
            Stanza unavailable = Stanza.presence(session.jid(), null, "unavailable");
            for (Jid to : directed) {
                router.route(unavailable.withTo(to));
            }
            session.put(DIRECTED, null);
        }
    }

    /** §4.5.1 and §4.6.3: a resource that disappears without saying so goes unavailable for everyone. */
    @Override
    public void closed(Session session) {
        Set<Jid> directed = directed(session);
        if (session.isAvailable() || directed != null) {
            Stanza unavailable = Stanza.presence(session.jid(), null, "unavailable");
            if (session.isAvailable()) {
                broadcast(unavailable, session);
            } else {
                for (Jid to : directed) {
                    router.route(unavailable.withTo(to));
                }
            }
        }
    }

    /** A session resumed here from another node keeps whom it sent directed presence. */
    @Override
    public void adopted(Session session, org.parley.session.Adoption from) {
        Set<Jid> directed = directed(from.previous());
        if (directed != null && !directed.isEmpty()) {
            Set<Jid> own = ConcurrentHashMap.newKeySet();
            own.addAll(directed);
            session.put(DIRECTED, own);
            directory.share(session, DIRECTED_SHARE, encode(own));
        }
    }

    /**
     * A cluster outage hid this session from the other nodes, whose users may have been told it
     * left (or missed a change): its subscribers and those it sent directed presence hear its
     * current presence again.
     */
    @Override
    public void routesRestored(Session session) {
        Stanza p = session.presence();
        if (p == null) {
            return;
        }
        Stanza current = p.withFrom(session.jid());
        for (RosterItem item : roster.items(session.jid().local())) {
            if (item.subscription().hasFrom()) {
                router.route(current.withTo(Jid.of(item.jid())));
            }
        }
        Set<Jid> directed = session.get(DIRECTED);
        if (directed != null) {
            for (Jid to : directed) {
                router.route(current.withTo(to));
            }
        }
    }
}
