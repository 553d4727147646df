package org.parley.feature.muc;

import java.util.List;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.JidFormatException;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;
import org.parley.xmpp.forms.Field;

/**
 * Registering with a room (XEP-0045 §7.10): a user reserves a nickname with
 * {@code jabber:iq:register} and the {@code muc#register} form, becoming a member; nobody else
 * may then enter (or register) with that nickname ({@code conflict}). {@code <remove/>} cancels
 * the registration and the membership it gave. §7.12: the reserved nickname is discovered with
 * disco#info at the node {@code x-roomuser-item}.
 */
final class RoomRegistration {
    static final String NAMESPACE = "jabber:iq:register";
    static final String FORM_TYPE = "http://jabber.org/protocol/muc#register";
    static final String ROOMNICK = "muc#register_roomnick";
    /** §7.12: the disco#info node that names the requester's reserved nickname. */
    static final String NICK_NODE = "x-roomuser-item";

    private RoomRegistration() {
    }

    /** The form to fill in, or {@code <registered/>} with the nickname already reserved. */
    static Element get(Room room, Jid requester) {
        Element.Builder q = Element.builder("query", NAMESPACE);
        String reserved = room.affiliations().nick(requester);
        if (reserved != null) {
            return q.child(Element.empty("registered", NAMESPACE)).textChild("username", NAMESPACE, reserved).build();
        }
        mayRegister(room, requester);
        q.textChild("instructions", NAMESPACE, "Reserve a nickname in " + room.jid());
        DataForm form = DataForm.of(DataForm.Type.FORM, FORM_TYPE, List.of(
                new Field(ROOMNICK, Field.Type.TEXT_SINGLE, "Nickname", null, true, List.of(), List.of())));
        return q.child(form.toElement()).build();
    }

    /** A submitted form reserves its nickname; {@code <remove/>} cancels the registration. */
    static void set(Room room, Jid requester, Element query) {
        Affiliation mine = room.affiliations().of(requester);
        if (query.element("remove", NAMESPACE) != null) {
            if (room.affiliations().nick(requester) == null) {
                throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "not registered with this room");
            }
            room.affiliations().reserve(requester, null);
            if (mine == Affiliation.MEMBER) {
                RoomAdmin.change(room, requester.bare(), Affiliation.NONE);
            }
            return;
        }
        mayRegister(room, requester);
        Element x = query.element(DataForm.ELEMENT, DataForm.NAMESPACE);
        if (x == null) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "expected the " + FORM_TYPE + " form");
        }
        DataForm form = DataForm.from(x);
        if (form.type() == DataForm.Type.CANCEL) {
            return;
        }
        if (form.type() != DataForm.Type.SUBMIT || !FORM_TYPE.equals(form.formType())) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "expected a submitted " + FORM_TYPE + " form");
        }
        String nick = nickname(form.value(ROOMNICK));
        Jid holder = room.affiliations().holder(nick);
        Occupant present = room.occupants().byNick(nick);
        if ((holder != null && !holder.equals(requester.bare()))
                || (present != null && !present.user().equals(requester.bare()))) {
            throw new StanzaErrorException(Condition.CONFLICT, "that nickname is reserved or in use");
        }
        if (!mine.atLeast(Affiliation.MEMBER)) {
            RoomAdmin.change(room, requester.bare(), Affiliation.MEMBER);
        }
        room.affiliations().reserve(requester, nick);
    }

    /** A nickname as the form gave it, PRECIS-enforced as a resourcepart; else {@code not-acceptable}. */
    private static String nickname(String value) {
        if (value == null || value.isBlank()) {
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, ROOMNICK + " is required");
        }
        try {
            return Jid.enforceResource(value.trim());
        } catch (JidFormatException e) {
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, "not a valid nickname");
        }
    }

    /** Outcasts may not register (§7.10: {@code forbidden}), nor non-members of a members-only room. */
    private static void mayRegister(Room room, Jid requester) {
        Affiliation mine = room.affiliations().of(requester);
        if (mine == Affiliation.OUTCAST) {
            throw new StanzaErrorException(Condition.FORBIDDEN, "banned from this room");
        }
        if (room.config().membersOnly() && !mine.atLeast(Affiliation.MEMBER)) {
            throw new StanzaErrorException(Condition.REGISTRATION_REQUIRED, "this room is for members only");
        }
    }

    /** §7.12: disco#info at {@code x-roomuser-item}: an identity named with the reserved nickname, if any. */
    static Element reservedNick(Room room, Jid requester) {
        Element.Builder q = Element.builder("query", Namespaces.DISCO_INFO).attr("node", NICK_NODE);
        String nick = room.affiliations().nick(requester);
        if (nick != null) {
            q.child(Element.builder("identity", Namespaces.DISCO_INFO).attr("category", "conference")
                    .attr("type", "text").attr("name", nick).build());
        }
        return q.build();
    }
}
