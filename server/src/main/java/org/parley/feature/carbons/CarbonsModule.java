package org.parley.feature.carbons;

import java.util.List;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.Directory;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.route.Phase;
import org.parley.route.Router;
import org.parley.route.Stage;
import org.parley.session.Adoption;
import org.parley.session.Session;
import org.parley.session.SessionListener;
import org.parley.session.SessionKey;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** Message Carbons (XEP-0280): see the package documentation. */
public final class CarbonsModule implements Module {
    /** Set on a session that enabled carbons; read only on the node holding the session. */
    static final SessionKey<Boolean> ENABLED = new SessionKey<>("carbons.enabled");
    private static final String SHARE = "carbons";
    private static final QName ENABLE = new QName(Carbon.NAMESPACE, "enable");
    private static final QName DISABLE = new QName(Carbon.NAMESPACE, "disable");

    private Router router;
    private Directory directory;
    private String domain;

    @Override
    public String name() {
        return "carbons";
    }

    @Override
    public void start(ModuleContext ctx) {
        router = ctx.router();
        directory = ctx.directory();
        domain = ctx.serverJid().domain();
        for (IqScope scope : List.of(IqScope.ACCOUNT, IqScope.SERVER)) {
            ctx.iqSet(scope, ENABLE, r -> toggle(r, true));
            ctx.iqSet(scope, DISABLE, r -> toggle(r, false));
        }
        // COPY: after the filters (nothing refused is copied) and after the archive's STAMP, so
        // copies carry the stanza-id that clients match against history (XEP-0313 §3.5).
        ctx.hook(Phase.OUTBOUND, Stage.COPY, "carbons.sent", this::sent);
        ctx.hook(Phase.INBOUND, Stage.COPY, "carbons.copies", this::copies);
        ctx.hook(Phase.DELIVER, Stage.FILTER, "carbons.enabled", CarbonsModule::filter);
        ctx.features().serverFeature(Carbon.NAMESPACE);
        ctx.listener(new SessionListener() {
            @Override
            public void adopted(Session session, Adoption from) {
                if (from.previous().shared(SHARE) != null) {
                    session.put(ENABLED, Boolean.TRUE);
                    directory.share(session, SHARE, "1");
                }
            }
        });
    }

    /** §4, §5: a client switches carbons for its own session; enabling twice is no error (§10.1). */
    private Element toggle(IqRequest request, boolean on) {
        Session origin = request.origin();
        boolean own = request.target() == null || request.target().local() == null || request.isSelf();
        if (origin == null || !own) {
            throw new StanzaErrorException(Condition.NOT_ALLOWED, "carbons are switched by the session itself");
        }
        origin.put(ENABLED, on ? Boolean.TRUE : null);
        directory.share(origin, SHARE, on ? "1" : null); // kept when the session resumes on another node
        return null;
    }

    /**
     * §7: a copy of what a resource sends goes to the user's other resources. Here, for what
     * leaves the server's accounts (another domain, the server itself); a message to a local
     * account is copied in the INBOUND phase, once it passed the recipient's filters and the
     * archive stamped it.
     */
    private Stanza sent(Stanza s, Session origin) {
        if (origin == null || s.to() == null || s.to().sameBare(origin.jid()) || toAccount(s.to())
                || !Carbon.eligible(s)) {
            return s;
        }
        copySent(s, origin.jid());
        return s;
    }

    private boolean toAccount(Jid to) {
        return to.local() != null && to.domain().equals(domain);
    }

    private void copySent(Stanza s, Jid sender) {
        for (Session own : directory.sessions(sender.bare())) {
            if (!own.jid().equals(sender)) {
                router.deliver(own, Carbon.copy(Carbon.Direction.SENT, s, own.jid()));
            }
        }
    }

    /**
     * §6 and §7 for a message between accounts of this server: the sender's other resources get
     * a sent copy (a client's full JID in 'from' means it came from that session: the server
     * writes bare JIDs), and the recipient's resources that do not get the original under RFC
     * 6121 §8.5 a received copy: for a full JID with a session, all others; otherwise those the
     * message to the bare JID skips (unavailable or negative priority).
     */
    private Stanza copies(Stanza s, Session ignored) {
        if (!s.isMessage() || s.to() == null || s.to().local() == null) {
            return s;
        }
        if (Carbon.isPrivate(s)) {
            // §8: the recipient gets the message without the marker, and no copies are made.
            return s.withElement(s.element().withoutChildren(Carbon.PRIVATE, Carbon.NAMESPACE));
        }
        if (s.from() == null || s.from().sameBare(s.to()) || !Carbon.eligible(s)) {
            return s;
        }
        if (!s.from().isBare() && toAccount(s.from())) {
            copySent(s, s.from());
        }
        Jid to = s.to();
        Session addressed = to.isBare() ? null : directory.session(to);
        for (Session own : directory.sessions(to.bare())) {
            boolean getsOriginal = addressed != null
                    ? own.jid().equals(addressed.jid())
                    : own.isAvailable() && own.priority() >= 0;
            if (!getsOriginal) {
                router.deliver(own, Carbon.copy(Carbon.Direction.RECEIVED, s, own.jid()));
            }
        }
        return s;
    }

    /** The DELIVER hook: a carbon reaches only a session that enabled carbons. */
    private static Stanza filter(Stanza s, Session target) {
        if (Carbon.from(s, target.jid()) != null && !Boolean.TRUE.equals(target.get(ENABLED))) {
            return null;
        }
        return s;
    }
}
