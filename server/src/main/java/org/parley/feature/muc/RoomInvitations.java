package org.parley.feature.muc;

import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * Mediated invitations (XEP-0045 §7.8.2) and their declines (§7.8.3): an occupant asks the room
 * to invite someone, the room sends the invitation from itself (with the inviter's JID, the
 * reason and the password), and a decline sent to the room reaches the inviter. In a
 * members-only room only admins and owners invite, or occupants when the room allows it
 * ({@code muc#roomconfig_allowinvites}), and the invitee becomes a member.
 */
final class RoomInvitations {

    private RoomInvitations() {
    }

    /** Handles a non-groupchat message to the room carrying a muc#user invite or decline; false if it has neither. */
    static boolean handle(Room room, Stanza m) {
        Element x = m.element().element("x", MucElements.USER);
        if (x == null) {
            return false;
        }
        Element invite = x.element("invite", MucElements.USER);
        Element decline = x.element("decline", MucElements.USER);
        if (invite != null) {
            invite(room, m, x, invite);
            return true;
        }
        if (decline != null) {
            decline(room, m, decline);
            return true;
        }
        return false;
    }

    private static Jid target(Element e, String attr) {
        Jid to = e.attr(attr) == null ? null : Jid.parseOrNull(e.attr(attr));
        if (to == null) {
            throw new StanzaErrorException(Condition.JID_MALFORMED, "an invitation names whom it is " + attr);
        }
        return to;
    }

    private static void invite(Room room, Stanza m, Element x, Element invite) {
        Occupant o = room.occupants().bySession(m.from());
        if (o == null) {
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, "only occupants invite");
        }
        Affiliation mine = room.affiliations().of(m.from());
        RoomConfig c = room.config();
        if (c.membersOnly() && !mine.atLeast(Affiliation.ADMIN) && !c.allowInvites()) {
            throw new StanzaErrorException(Condition.FORBIDDEN, "only admins and owners invite to this room");
        }
        Jid to = target(invite, "to");
        if (c.membersOnly() && room.affiliations().of(to) == Affiliation.NONE) {
            room.affiliations().set(to, Affiliation.MEMBER);
        }
        Element.Builder out = Element.builder("x", MucElements.USER)
                .child(Element.builder("invite", MucElements.USER).attr("from", m.from().toString())
                        .textChild("reason", MucElements.USER, invite.childText("reason", MucElements.USER))
                        .build())
                .textChild("password", MucElements.USER, c.password());
        room.send(Stanza.of(Element.builder("message", Namespaces.CLIENT).attr("from", room.jid().toString())
                .attr("to", to.toString()).attr("id", m.id()).child(out.build())
                .textChild("body", Namespaces.CLIENT, m.from().bare() + " invites you to " + room.jid())
                .build()));
    }

    private static void decline(Room room, Stanza m, Element decline) {
        Jid to = target(decline, "to");
        Element x = Element.builder("x", MucElements.USER)
                .child(Element.builder("decline", MucElements.USER).attr("from", m.from().bare().toString())
                        .textChild("reason", MucElements.USER, decline.childText("reason", MucElements.USER))
                        .build())
                .build();
        room.send(Stanza.of(Element.builder("message", Namespaces.CLIENT).attr("from", room.jid().toString())
                .attr("to", to.toString()).attr("id", m.id()).child(x).build()));
    }
}
