package org.parley.feature.muc;

import org.parley.xml.Element;
import org.parley.xmpp.Jid;

/**
 * The sender's real JID kept with a room's archived message (XEP-0313 §5.1.2): an
 * {@code <x xmlns='http://jabber.org/protocol/muc#user'><item jid=.../></x>}, shown only to those
 * who may see real JIDs (a non-anonymous room, or a moderator of a semi-anonymous one). The room
 * writes it; one an occupant wrote into its message is removed before anything is kept or sent.
 */
final class RealJids {

    private RealJids() {
    }

    static Element item(Jid realJid) {
        return Element.builder("x", MucElements.USER)
                .child(Element.builder("item", MucElements.USER).attr("jid", realJid.bare().toString()).build())
                .build();
    }

    /** The message without any muc#user element. */
    static Element strip(Element message) {
        return message.element("x", MucElements.USER) == null ? message
                : message.withoutChildren("x", MucElements.USER);
    }
}
