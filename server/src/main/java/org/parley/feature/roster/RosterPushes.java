package org.parley.feature.roster;

import java.util.concurrent.atomic.AtomicLong;
import org.parley.route.Directory;
import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.store.RosterItem;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;

/** Sends roster pushes (RFC 6121 §2.1.6) to every interested resource of a user. */
final class RosterPushes {
    /** Set on a session once it has requested the roster: only such resources get pushes. */
    static final SessionKey<Boolean> INTERESTED = new SessionKey<>("roster.interested");

    private final Directory directory;
    private final AtomicLong ids = new AtomicLong();

    RosterPushes(Directory directory) {
        this.directory = directory;
    }

    void push(Jid user, RosterItem item) {
        send(user, RosterQuery.of(java.util.List.of(item)));
    }

    void pushRemoval(Jid user, String contact) {
        send(user, RosterQuery.removal(contact));
    }

    private void send(Jid user, Element query) {
        Jid bare = user.bare();
        for (Session s : directory.sessions(bare)) {
            if (Boolean.TRUE.equals(s.get(INTERESTED))) {
                s.deliver(Stanza.iq(bare, s.jid(), "set", "push" + ids.incrementAndGet(), query));
            }
        }
    }
}
