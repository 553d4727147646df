package org.parley.feature.roster;

import java.util.List;
import java.util.Optional;
import org.parley.module.UserLocks;
import org.parley.route.Directory;
import org.parley.route.Router;
import org.parley.session.Session;
import org.parley.session.SessionListener;
import org.parley.store.PendingSubscription;
import org.parley.store.RosterItem;
import org.parley.store.RosterStore;
import org.parley.store.Subscription;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * The presence subscription state machine of RFC 6121 §3: outbound requests, approvals,
 * cancellations and pre-approvals from the user, inbound ones to the user, with roster pushes
 * on every change and pending requests re-delivered at each initial presence until answered.
 */
final class Subscriptions implements SessionListener {
    private final Router router;
    private final Directory directory;
    private final RosterStore store;
    private final RosterPushes pushes;
    private final UserLocks locks;

    private final int keepRemovals;
    private final Limits limits;

    /**
     * What one account's roster may hold: items, its own unanswered requests (items asking for a
     * subscription), and requests to it kept until answered.
     */
    record Limits(int items, int pendingOut, int pendingIn) {
    }

    Subscriptions(Router router, Directory directory, RosterStore store, RosterPushes pushes, UserLocks locks,
                  int keepRemovals, Limits limits) {
        this.keepRemovals = keepRemovals;
        this.limits = limits;
        this.locks = locks;
        this.router = router;
        this.directory = directory;
        this.store = store;
        this.pushes = pushes;
    }

    private static boolean isSubscription(Stanza s) {
        String t = s.type();
        return s.isPresence() && t != null
                && (t.equals("subscribe") || t.equals("subscribed") || t.equals("unsubscribe") || t.equals("unsubscribed"));
    }

    /** What remains to be routed once the roster change is saved (routing happens outside the lock). */
    private enum Then {
        /** Nothing is routed. */
        DROP,
        /** The stanza goes on to the contact. */
        ROUTE,
        /** The stanza goes on, followed by the user's current presence (an approval). */
        ROUTE_AND_PRESENCE,
        /** Unavailable presence from the user's resources, then the stanza (a cancellation). */
        UNAVAILABLE_AND_ROUTE,
        /**
         * The contact already may see the user: answer 'subscribed' on the user's behalf, with the
         * user's current presence, since a contact asking again has likely lost what it knew.
         */
        REPLY_SUBSCRIBED,
        /** Pre-approved (§3.4): answer 'subscribed' and send the user's presence. */
        REPLY_SUBSCRIBED_AND_PRESENCE,
        /** The contact lost the subscription: unavailable presence from the user's resources. */
        UNAVAILABLE
    }

    /** From the user (OUTBOUND): update the user's roster, stamp the bare JID and let it route. */
    Stanza outbound(Stanza s, Session origin) {
        if (!isSubscription(s) || s.to() == null) {
            return s;
        }
        Jid user = s.from().bare();
        Jid contactJid = s.to().bare();
        Stanza out = s.withFrom(user).withTo(contactJid);
        Then then = locks.withLock(user.local(), () -> outboundChange(s.type(), user, contactJid.toString()));
        switch (then) {
            case ROUTE -> {
                return out;
            }
            case ROUTE_AND_PRESENCE -> {
                router.route(out);
                sendPresence(user, contactJid);
            }
            case UNAVAILABLE_AND_ROUTE -> {
                sendUnavailable(user, contactJid);
                router.route(out);
            }
            default -> { }
        }
        return null;
    }

    private Then outboundChange(String type, Jid user, String contact) {
        String owner = user.local();
        Optional<RosterItem> existing = store.item(owner, contact);
        switch (type) {
            case "subscribe" -> {
                RosterItem item = existing.orElse(RosterItem.of(contact));
                if (!item.subscription().hasTo() && !item.askSubscribe()) {
                    List<RosterItem> all = store.items(owner);
                    if (existing.isEmpty() && all.size() >= limits.items()) {
                        throw new StanzaErrorException(Condition.NOT_ALLOWED, "the roster is full");
                    }
                    if (all.stream().filter(i -> i.askSubscribe() && !i.subscription().hasTo()).count()
                            >= limits.pendingOut()) {
                        throw new StanzaErrorException(Condition.POLICY_VIOLATION,
                                "too many subscription requests unanswered");
                    }
                    save(user, item.withAsk(true));
                }
                return Then.ROUTE;
            }
            case "subscribed" -> {
                boolean pending = store.pendingIn(owner).stream().anyMatch(p -> p.from().equals(contact));
                RosterItem item = existing.orElse(RosterItem.of(contact));
                if (existing.isEmpty() && !item.subscription().hasFrom()) {
                    requireRoom(owner);
                }
                if (item.subscription().hasFrom()) {
                    return Then.DROP; // already approved: nothing to tell anyone
                }
                if (!pending) {
                    // §3.4 pre-approval: remember it, tell nobody yet.
                    if (!item.approved()) {
                        save(user, item.withApproved(true));
                    }
                    return Then.DROP;
                }
                store.removePendingIn(owner, contact);
                save(user, item.withSubscription(item.subscription().withFrom()).withApproved(false));
                return Then.ROUTE_AND_PRESENCE;
            }
            case "unsubscribe" -> {
                existing.ifPresent(item -> {
                    if (item.subscription().hasTo() || item.askSubscribe()) {
                        save(user, item.withSubscription(item.subscription().withoutTo()).withAsk(false));
                    }
                });
                return Then.ROUTE;
            }
            default -> { // unsubscribed: cancel, deny, or withdraw a pre-approval
                boolean pending = store.removePendingIn(owner, contact);
                boolean hadFrom = existing.map(i -> i.subscription().hasFrom()).orElse(false);
                boolean approved = existing.map(RosterItem::approved).orElse(false);
                existing.ifPresent(item -> {
                    if (item.subscription().hasFrom() || item.approved()) {
                        save(user, item.withSubscription(item.subscription().withoutFrom()).withApproved(false));
                    }
                });
                if (hadFrom) {
                    return Then.UNAVAILABLE_AND_ROUTE;
                }
                // A contact who never saw the user's presence must not be sent an unavailable.
                return pending || approved ? Then.ROUTE : Then.DROP;
            }
        }
    }

    /** To the user (INBOUND): update the user's roster and deliver, or answer on the user's behalf. */
    Stanza inbound(Stanza s, Session ignored) {
        if (!isSubscription(s) || s.from() == null || s.to() == null || s.to().local() == null) {
            return s;
        }
        Jid user = s.to().bare();
        Jid contactJid = s.from().bare();
        Stanza in = s.withFrom(contactJid).withTo(user);
        Then then = locks.withLock(user.local(), () -> inboundChange(in, user, contactJid.toString()));
        switch (then) {
            case REPLY_SUBSCRIBED -> {
                router.route(Stanza.presence(user, contactJid, "subscribed"));
                if (!sendPresence(user, contactJid)) { // as a probe is answered (§4.3.2)
                    router.route(Stanza.presence(user, contactJid, "unavailable"));
                }
            }
            case REPLY_SUBSCRIBED_AND_PRESENCE -> {
                router.route(Stanza.presence(user, contactJid, "subscribed"));
                sendPresence(user, contactJid);
            }
            case UNAVAILABLE -> sendUnavailable(user, contactJid);
            default -> { }
        }
        return null;
    }

    private Then inboundChange(Stanza in, Jid user, String contact) {
        String owner = user.local();
        Optional<RosterItem> existing = store.item(owner, contact);
        switch (in.type()) {
            case "subscribe" -> {
                RosterItem item = existing.orElse(null);
                if (item != null && item.subscription().hasFrom()) {
                    return Then.REPLY_SUBSCRIBED;
                }
                if (item != null && item.approved()) {
                    save(user, item.withSubscription(item.subscription().withFrom()).withApproved(false));
                    return Then.REPLY_SUBSCRIBED_AND_PRESENCE;
                }
                List<PendingSubscription> pending = store.pendingIn(owner);
                if (pending.stream().anyMatch(p -> p.from().equals(contact))) {
                    return Then.DROP; // §3.1.3: a repeated request is not delivered again
                }
                if (pending.size() >= limits.pendingIn()) {
                    return Then.DROP; // kept requests are bounded; the oldest stay until answered
                }
                store.addPendingIn(owner, new PendingSubscription(contact, in.element().toXml()));
                deliverToAvailable(user, in);
                return Then.DROP;
            }
            case "subscribed" -> {
                existing.ifPresent(item -> {
                    if (item.askSubscribe() && !item.subscription().hasTo()) {
                        save(user, item.withSubscription(item.subscription().withTo()).withAsk(false));
                        deliverToAvailable(user, in);
                    }
                });
                return Then.DROP;
            }
            case "unsubscribe" -> {
                store.removePendingIn(owner, contact);
                if (existing.isPresent() && existing.get().subscription().hasFrom()) {
                    RosterItem item = existing.get();
                    save(user, item.withSubscription(item.subscription().withoutFrom()));
                    deliverToAvailable(user, in);
                    return Then.UNAVAILABLE;
                }
                return Then.DROP;
            }
            default -> { // unsubscribed
                existing.ifPresent(item -> {
                    if (item.subscription().hasTo() || item.askSubscribe()) {
                        save(user, item.withSubscription(item.subscription().withoutTo()).withAsk(false));
                        deliverToAvailable(user, in);
                    }
                });
                return Then.DROP;
            }
        }
    }

    /**
     * RFC 6121 §2.5.2: removes a roster item, cancelling both directions of the subscription.
     *
     * @return false if there was no such item
     */
    boolean remove(Jid user, String contact) {
        record Removed(RosterItem item, boolean pending) {
        }
        Removed removed = locks.withLock(user.local(), () -> {
            Optional<RosterItem> existing = store.item(user.local(), contact);
            if (existing.isEmpty()) {
                return null;
            }
            boolean pending = store.removePendingIn(user.local(), contact);
            store.remove(user.local(), contact);
            pushes.pushRemoval(user, contact, store.version(user.local()));
            store.trimRemovals(user.local(), keepRemovals);
            return new Removed(existing.get(), pending);
        });
        if (removed == null) {
            return false;
        }
        RosterItem item = removed.item();
        Jid contactJid = Jid.of(contact);
        if (item.subscription().hasTo() || item.askSubscribe()) {
            router.route(Stanza.presence(user, contactJid, "unsubscribe"));
        }
        if (item.subscription().hasFrom()) {
            sendUnavailable(user, contactJid);
            router.route(Stanza.presence(user, contactJid, "unsubscribed"));
        } else if (removed.pending()) {
            router.route(Stanza.presence(user, contactJid, "unsubscribed"));
        }
        return true;
    }

    /** RFC 6121 §2.3: a roster set changes name and groups, never the subscription state. */
    RosterItem update(Jid user, String contact, String name, java.util.List<String> groups) {
        return locks.withLock(user.local(), () -> {
            Optional<RosterItem> existing = store.item(user.local(), contact);
            if (existing.isEmpty()) {
                requireRoom(user.local());
            }
            RosterItem item = existing
                    .map(i -> i.withName(name).withGroups(groups))
                    .orElseGet(() -> RosterItem.of(contact).withName(name).withGroups(groups));
            save(user, item);
            return item;
        });
    }

    /** RFC 6121 §3.1.3: requests not yet answered are delivered again at each initial presence. */
    @Override
    public void availabilityChanged(Session session, boolean available, boolean initial) {
        if (!initial) {
            return;
        }
        for (PendingSubscription p : store.pendingIn(session.jid().local())) {
            router.deliver(session, Stanza.of(org.parley.xml.XmlStrings.parse(p.stanzaXml()).withNamespace(Namespaces.CLIENT)));
        }
    }

    /** A new item must fit: past roster.maxItems adding one is {@code not-allowed}. */
    private void requireRoom(String owner) {
        if (store.items(owner).size() >= limits.items()) {
            throw new StanzaErrorException(Condition.NOT_ALLOWED, "the roster is full");
        }
    }

    private void save(Jid user, RosterItem item) {
        pushes.push(user, item, store.put(user.local(), item));
    }

    private void deliverToAvailable(Jid user, Stanza s) {
        for (Session session : directory.sessions(user)) {
            if (session.isAvailable()) {
                router.deliver(session, s);
            }
        }
    }

    /** @return whether any resource of the user had presence to send */
    private boolean sendPresence(Jid user, Jid contact) {
        boolean any = false;
        for (Session session : directory.sessions(user)) {
            Stanza p = session.presence();
            if (p != null) {
                router.route(p.withFrom(session.jid()).withTo(contact));
                any = true;
            }
        }
        return any;
    }

    private void sendUnavailable(Jid user, Jid contact) {
        for (Session session : directory.sessions(user)) {
            if (session.isAvailable()) {
                router.route(Stanza.presence(session.jid(), contact, "unavailable"));
            }
        }
    }

}
