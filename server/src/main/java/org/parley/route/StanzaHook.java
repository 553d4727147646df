package org.parley.route;

import org.parley.session.Session;
import org.parley.xmpp.Stanza;

/** A feature's view of stanzas at one {@link Phase}. */
@FunctionalInterface
public interface StanzaHook {

    /**
     * @param stanza  the stanza as the previous hooks left it
     * @param session the originating local session in {@link Phase#OUTBOUND}, the target session in
     *                {@link Phase#DELIVER}, otherwise null
     * @return the stanza to go on with (the same, or a new one), or null when this hook consumed it
     */
    Stanza apply(Stanza stanza, Session session);
}
