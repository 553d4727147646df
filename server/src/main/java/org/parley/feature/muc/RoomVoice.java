package org.parley.feature.muc;

import java.util.List;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;
import org.parley.xmpp.forms.Field;

/**
 * Voice requests (XEP-0045 §7.13) and their approval (§8.6): a visitor of a moderated room
 * submits the {@code muc#request} form to the room, which sends every moderator a form naming
 * the visitor (real JID, nickname); a moderator who submits it back with
 * {@code muc#request_allow} true makes the visitor a participant. One request per visitor is
 * passed on until a moderator answers it, so a visitor cannot flood the moderators.
 */
final class RoomVoice {
    static final String FORM_TYPE = "http://jabber.org/protocol/muc#request";
    static final String ROLE = "muc#role";
    static final String JID = "muc#jid";
    static final String NICK = "muc#roomnick";
    static final String ALLOW = "muc#request_allow";

    private RoomVoice() {
    }

    /** Handles a non-groupchat message to the room carrying a muc#request form; false if it carries none. */
    static boolean handle(Room room, Stanza m) {
        DataForm form = null;
        for (DataForm f : DataForm.in(m.element())) {
            if (FORM_TYPE.equals(f.formType())) {
                form = f;
            }
        }
        if (form == null || form.type() != DataForm.Type.SUBMIT) {
            return false;
        }
        Occupant sender = room.occupants().bySession(m.from());
        if (sender == null) {
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, "only occupants ask for voice");
        }
        if (form.field(ALLOW) != null && sender.role() == Role.MODERATOR) {
            answer(room, form);
        } else if (form.field(ALLOW) != null) {
            // §8.6: only moderators grant voice.
            throw new StanzaErrorException(Condition.FORBIDDEN, "only moderators answer voice requests");
        } else {
            request(room, sender);
        }
        return true;
    }

    /** §7.13: the request goes to every moderator, once while it is unanswered; voice is asked for by visitors. */
    private static void request(Room room, Occupant visitor) {
        if (visitor.role() != Role.VISITOR || visitor.voiceRequested()) {
            return;
        }
        visitor.voiceRequested(true);
        DataForm fields = DataForm.of(DataForm.Type.FORM, FORM_TYPE, List.of(
                Field.of(Field.Type.LIST_SINGLE, ROLE, Role.PARTICIPANT.xmlValue()).withLabel("Requested role"),
                Field.of(Field.Type.JID_SINGLE, JID, visitor.latest().toString()).withLabel("User ID"),
                Field.of(Field.Type.TEXT_SINGLE, NICK, visitor.nick()).withLabel("Room nickname"),
                Field.of(Field.Type.BOOLEAN, ALLOW, "false").withLabel("Grant voice to this person?")));
        Element form = new DataForm(DataForm.Type.FORM, "Voice request", List.of(), fields.fields(), List.of(),
                List.of()).toElement();
        for (Occupant o : room.occupants().all()) {
            if (o.role() == Role.MODERATOR) {
                for (Jid s : o.sessions()) {
                    room.send(Stanza.of(Element.builder("message", Namespaces.CLIENT)
                            .attr("from", room.jid().toString()).attr("to", s.toString()).attr("id", room.nextId())
                            .child(form).build()));
                }
            }
        }
    }

    /** §8.6: a moderator's answer; voice is granted when it allows it, the request is closed either way. */
    private static void answer(Room room, DataForm form) {
        String nick = form.value(NICK);
        Occupant visitor = nick == null ? null : room.occupants().byNick(nick);
        if (visitor == null) {
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "no occupant has that nickname");
        }
        visitor.voiceRequested(false);
        String allow = form.value(ALLOW);
        if (("true".equals(allow) || "1".equals(allow)) && visitor.role() == Role.VISITOR) {
            visitor.role(Role.PARTICIPANT);
            room.broadcastPresence(visitor, null, List.of());
        }
    }
}
