package org.parley.feature.roster;

import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.route.Phase;
import org.parley.store.RosterStore;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** The roster (RFC 6121 §2) and, through {@link Subscriptions}, presence subscriptions (§3). */
public final class RosterModule implements Module {
    private static final String PRE_APPROVAL = "urn:xmpp:features:pre-approval";
    private static final QName QUERY = new QName(RosterQuery.NAMESPACE, RosterQuery.ELEMENT);

    private RosterStore store;
    private RosterPushes pushes;
    private Subscriptions subscriptions;

    @Override
    public String name() {
        return "roster";
    }

    @Override
    public void start(ModuleContext ctx) {
        store = ctx.stores().roster();
        pushes = new RosterPushes(ctx.directory(), ctx.router());
        subscriptions = new Subscriptions(ctx.router(), ctx.directory(), store, pushes, ctx.userLocks());
        ctx.iqGet(IqScope.ACCOUNT, QUERY, this::get);
        ctx.iqSet(IqScope.ACCOUNT, QUERY, this::set);
        ctx.hook(Phase.OUTBOUND, subscriptions::outbound);
        ctx.hook(Phase.INBOUND, subscriptions::inbound);
        ctx.hook(Phase.DELIVER, RosterPushes::filter);
        ctx.listener(subscriptions);
        // RFC 6121 §3.4: pre-approval is supported, and clients (Smack among them) only use it
        // when the stream feature says so.
        ctx.features().boundStreamFeature(Element.empty("sub", PRE_APPROVAL));
    }

    private Element get(IqRequest request) {
        requireSelf(request);
        if (request.origin() != null) {
            request.origin().put(RosterPushes.INTERESTED, Boolean.TRUE);
        }
        return RosterQuery.of(store.items(request.from().local()));
    }

    private Element set(IqRequest request) {
        requireSelf(request);
        RosterQuery.Change change = RosterQuery.change(request.payload());
        String contact = change.jid().toString();
        if (change.remove()) {
            if (!subscriptions.remove(request.from().bare(), contact)) {
                throw new StanzaErrorException(Condition.ITEM_NOT_FOUND);
            }
            return null;
        }
        subscriptions.update(request.from().bare(), contact, change.name(), change.groups());
        return null;
    }

    /** RFC 6121 §2.1.5: a user manages only their own roster. */
    private static void requireSelf(IqRequest request) {
        Jid from = request.from();
        if (from == null || !request.isSelf()) {
            throw new StanzaErrorException(Condition.FORBIDDEN);
        }
    }
}
