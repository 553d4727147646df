package org.parley.feature.roster;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.route.Directory;
import org.parley.route.Router;
import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.store.RosterItem;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;

/**
 * Roster pushes (RFC 6121 §2.1.6). A push is offered to every resource of the user through the
 * router; {@link #filter} drops it at delivery for resources that never requested the roster,
 * on whichever node holds the session and thus knows whether it did.
 */
final class RosterPushes {
    /** Set on a session once it has requested the roster: only such resources get pushes. */
    static final SessionKey<Boolean> INTERESTED = new SessionKey<>("roster.interested");
    /** The same, shared for a resumption on another cluster node. */
    static final String INTERESTED_SHARE = "roster.interested";

    private final Directory directory;
    private final Router router;
    private final AtomicLong ids = new AtomicLong();

    RosterPushes(Directory directory, Router router) {
        this.directory = directory;
        this.router = router;
    }

    /** Pushes carry the roster version they produce (RFC 6121 §2.6.2); clients without versioning ignore it. */
    void push(Jid user, RosterItem item, long version) {
        send(user, RosterQuery.of(List.of(item), version));
    }

    void pushRemoval(Jid user, String contact, long version) {
        send(user, RosterQuery.removal(contact, version));
    }

    private void send(Jid user, Element query) {
        Jid bare = user.bare();
        for (Session s : directory.sessions(bare)) {
            sendTo(s, query);
        }
    }

    /** One push to one resource (the changes since a client's roster version go only to it). */
    void sendTo(Session s, Element query) {
        Jid bare = s.jid().bare();
        router.deliver(s, Stanza.iq(bare, s.jid(), "set", "push" + ids.incrementAndGet(), query));
    }

    /** The DELIVER hook: a roster push reaches only an interested resource. */
    static Stanza filter(Stanza s, Session target) {
        if (s.isIq() && "set".equals(s.type()) && s.from() != null && s.from().isBare()
                && s.from().sameBare(target.jid()) && s.payload() != null
                && RosterQuery.NAMESPACE.equals(s.payload().namespace())
                && !Boolean.TRUE.equals(target.get(INTERESTED))) {
            return null;
        }
        return s;
    }
}
