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
            Set<Jid> directed = origin.get(DIRECTED);
            if (directed != null) {
                for (Jid to : directed) {
                    router.route(p.withTo(to));
                }
                origin.put(DIRECTED, null);
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
        if (s.type() == null) {
            if (directed == null) {
                directed = ConcurrentHashMap.newKeySet();
                origin.put(DIRECTED, directed);
            }
            directed.add(to);
        } else if (directed != null) {
            directed.remove(to);
        }
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
        if (session.isAvailable() || session.get(DIRECTED) != null) {
            Stanza unavailable = Stanza.presence(session.jid(), null, "unavailable");
            if (session.isAvailable()) {
                broadcast(unavailable, session);
            } else {
                Set<Jid> directed = session.get(DIRECTED);
                for (Jid to : directed) {
                    router.route(unavailable.withTo(to));
                }
            }
        }
    }
}
