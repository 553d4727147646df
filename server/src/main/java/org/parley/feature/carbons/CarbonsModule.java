package org.parley.feature.carbons;

import java.util.List;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.Directory;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.route.Phase;
import org.parley.route.Router;
import org.parley.session.Session;
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
    private static final QName ENABLE = new QName(Carbon.NAMESPACE, "enable");
    private static final QName DISABLE = new QName(Carbon.NAMESPACE, "disable");

    private Router router;
    private Directory directory;

    @Override
    public String name() {
        return "carbons";
    }

    @Override
    public void start(ModuleContext ctx) {
        router = ctx.router();
        directory = ctx.directory();
        for (IqScope scope : List.of(IqScope.ACCOUNT, IqScope.SERVER)) {
            ctx.iqSet(scope, ENABLE, r -> toggle(r, true));
            ctx.iqSet(scope, DISABLE, r -> toggle(r, false));
        }
        ctx.hook(Phase.OUTBOUND, this::sent);
        ctx.hook(Phase.INBOUND, this::received);
        ctx.hook(Phase.DELIVER, CarbonsModule::filter);
        ctx.features().serverFeature(Carbon.NAMESPACE);
    }

    /** §4, §5: a client switches carbons for its own session; enabling twice is no error (§10.1). */
    private Element toggle(IqRequest request, boolean on) {
        Session origin = request.origin();
        boolean own = request.target() == null || request.target().local() == null || request.isSelf();
        if (origin == null || !own) {
            throw new StanzaErrorException(Condition.NOT_ALLOWED, "carbons are switched by the session itself");
        }
        origin.put(ENABLED, on ? Boolean.TRUE : null);
        return null;
    }

    /** §7: a copy of what a resource sends goes to the user's other resources. */
    private Stanza sent(Stanza s, Session origin) {
        if (origin == null || s.to() == null || s.to().sameBare(origin.jid()) || !Carbon.eligible(s)) {
            return s;
        }
        for (Session own : directory.sessions(origin.jid().bare())) {
            if (!own.jid().equals(origin.jid())) {
                router.deliver(own, Carbon.copy(Carbon.Direction.SENT, s, own.jid()));
            }
        }
        return s;
    }

    /**
     * §6: a copy of what a user receives goes to the user's resources that do not get the
     * original under RFC 6121 §8.5: for a full JID with a session, all others; otherwise those
     * the message to the bare JID skips (unavailable or negative priority).
     */
    private Stanza received(Stanza s, Session ignored) {
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
