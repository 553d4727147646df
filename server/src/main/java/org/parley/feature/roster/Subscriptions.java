package org.parley.feature.roster;

import java.util.Optional;
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

    Subscriptions(Router router, Directory directory, RosterStore store, RosterPushes pushes) {
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

    /** From the user (OUTBOUND): update the user's roster, stamp the bare JID and let it route. */
    Stanza outbound(Stanza s, Session origin) {
        if (!isSubscription(s) || s.to() == null) {
            return s;
        }
        Jid user = s.from().bare();
        Jid contactJid = s.to().bare();
        String owner = user.local();
        String contact = contactJid.toString();
        Optional<RosterItem> existing = store.item(owner, contact);
        Stanza out = s.withFrom(user).withTo(contactJid);
        switch (s.type()) {
            case "subscribe" -> {
                RosterItem item = existing.orElse(RosterItem.of(contact));
                if (!item.subscription().hasTo() && !item.askSubscribe()) {
                    save(user, item.withAsk(true));
                }
                return out;
            }
            case "subscribed" -> {
                boolean pending = store.pendingIn(owner).stream().anyMatch(p -> p.from().equals(contact));
                RosterItem item = existing.orElse(RosterItem.of(contact));
                if (item.subscription().hasFrom()) {
                    return null; // already approved: nothing to tell anyone
                }
                if (!pending) {
                    // §3.4 pre-approval: remember it, tell nobody yet.
                    if (!item.approved()) {
                        save(user, item.withApproved(true));
                    }
                    return null;
                }
                store.removePendingIn(owner, contact);
                save(user, item.withSubscription(item.subscription().withFrom()).withApproved(false));
                router.route(out);
                sendPresence(user, contactJid);
                return null;
            }
            case "unsubscribe" -> {
                existing.ifPresent(item -> {
                    if (item.subscription().hasTo() || item.askSubscribe()) {
                        save(user, item.withSubscription(item.subscription().withoutTo()).withAsk(false));
                    }
                });
                return out;
            }
            default -> { // unsubscribed: cancel or deny
                boolean pending = store.removePendingIn(owner, contact);
                boolean had = existing.map(i -> i.subscription().hasFrom() || i.approved()).orElse(false);
                existing.ifPresent(item -> {
                    if (item.subscription().hasFrom() || item.approved()) {
                        save(user, item.withSubscription(item.subscription().withoutFrom()).withApproved(false));
                    }
                });
                if (!pending && !had) {
                    return null;
                }
                if (had) {
                    sendUnavailable(user, contactJid);
                }
                return out;
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
        String owner = user.local();
        String contact = contactJid.toString();
        Optional<RosterItem> existing = store.item(owner, contact);
        Stanza in = s.withFrom(contactJid).withTo(user);
        switch (s.type()) {
            case "subscribe" -> {
                RosterItem item = existing.orElse(null);
                if (item != null && item.subscription().hasFrom()) {
                    router.route(Stanza.presence(user, contactJid, "subscribed"));
                } else if (item != null && item.approved()) {
                    save(user, item.withSubscription(item.subscription().withFrom()).withApproved(false));
                    router.route(Stanza.presence(user, contactJid, "subscribed"));
                    sendPresence(user, contactJid);
                } else {
                    store.addPendingIn(owner, new PendingSubscription(contact, in.element().toXml()));
                    deliverToAvailable(user, in);
                }
            }
            case "subscribed" -> existing.ifPresent(item -> {
                if (item.askSubscribe() && !item.subscription().hasTo()) {
                    save(user, item.withSubscription(item.subscription().withTo()).withAsk(false));
                    deliverToAvailable(user, in);
                }
            });
            case "unsubscribe" -> {
                store.removePendingIn(owner, contact);
                existing.ifPresent(item -> {
                    if (item.subscription().hasFrom()) {
                        save(user, item.withSubscription(item.subscription().withoutFrom()));
                        deliverToAvailable(user, in);
                        sendUnavailable(user, contactJid);
                    }
                });
            }
            default -> existing.ifPresent(item -> { // unsubscribed
                if (item.subscription().hasTo() || item.askSubscribe()) {
                    save(user, item.withSubscription(item.subscription().withoutTo()).withAsk(false));
                    deliverToAvailable(user, in);
                }
            });
        }
        return null;
    }

    /** RFC 6121 §2.5.2: removing a roster item cancels both directions first. */
    void cancelBoth(Jid user, RosterItem item) {
        Jid contact = Jid.of(item.jid());
        if (item.subscription().hasTo() || item.askSubscribe()) {
            router.route(Stanza.presence(user, contact, "unsubscribe"));
        }
        if (item.subscription().hasFrom()) {
            sendUnavailable(user, contact);
            router.route(Stanza.presence(user, contact, "unsubscribed"));
        } else if (store.removePendingIn(user.local(), item.jid())) {
            router.route(Stanza.presence(user, contact, "unsubscribed"));
        }
    }

    /** RFC 6121 §3.1.3: requests not yet answered are delivered again at each initial presence. */
    @Override
    public void availabilityChanged(Session session, boolean available, boolean initial) {
        if (!initial) {
            return;
        }
        for (PendingSubscription p : store.pendingIn(session.jid().local())) {
            session.deliver(Stanza.of(org.parley.xml.XmlStrings.parse(p.stanzaXml()).withNamespace(Namespaces.CLIENT)));
        }
    }

    private void save(Jid user, RosterItem item) {
        store.put(user.local(), item);
        pushes.push(user, item);
    }

    private void deliverToAvailable(Jid user, Stanza s) {
        for (Session session : directory.sessions(user)) {
            if (session.isAvailable()) {
                session.deliver(s);
            }
        }
    }

    private void sendPresence(Jid user, Jid contact) {
        for (Session session : directory.sessions(user)) {
            Stanza p = session.presence();
            if (p != null) {
                router.route(p.withFrom(session.jid()).withTo(contact));
            }
        }
    }

    private void sendUnavailable(Jid user, Jid contact) {
        for (Session session : directory.sessions(user)) {
            if (session.isAvailable()) {
                router.route(Stanza.presence(session.jid(), contact, "unavailable"));
            }
        }
    }

}
