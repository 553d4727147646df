package org.parley.feature.roster;

import java.util.Optional;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.route.Phase;
import org.parley.store.RosterItem;
import org.parley.store.RosterStore;
import org.parley.store.Subscription;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** The roster (RFC 6121 §2) and, through {@link Subscriptions}, presence subscriptions (§3). */
public final class RosterModule implements Module {
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
        pushes = new RosterPushes(ctx.directory());
        subscriptions = new Subscriptions(ctx.router(), ctx.directory(), store, pushes);
        ctx.iqGet(IqScope.ACCOUNT, QUERY, this::get);
        ctx.iqSet(IqScope.ACCOUNT, QUERY, this::set);
        ctx.hook(Phase.OUTBOUND, subscriptions::outbound);
        ctx.hook(Phase.INBOUND, subscriptions::inbound);
        ctx.listener(subscriptions);
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
        String owner = request.from().local();
        String contact = change.jid().toString();
        Optional<RosterItem> existing = store.item(owner, contact);
        if (change.remove()) {
            if (existing.isEmpty()) {
                throw new StanzaErrorException(Condition.ITEM_NOT_FOUND);
            }
            subscriptions.cancelBoth(request.from().bare(), existing.get());
            store.remove(owner, contact);
            pushes.pushRemoval(request.from(), contact);
            return null;
        }
        RosterItem item = existing
                .map(i -> i.withName(change.name()).withGroups(change.groups()))
                .orElseGet(() -> new RosterItem(contact, change.name(), Subscription.NONE, false, false, change.groups()));
        store.put(owner, item);
        pushes.push(request.from(), item);
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
