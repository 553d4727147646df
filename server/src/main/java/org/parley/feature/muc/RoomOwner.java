package org.parley.feature.muc;

import java.util.ArrayList;
import java.util.List;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;

/**
 * An owner's requests to the room (XEP-0045 §10, {@code muc#owner}): the configuration form,
 * its submission (which unlocks a new room, §10.1.2), cancelling a new room's configuration
 * (which destroys it, §10.1.3), and destroying the room (§10.9).
 */
final class RoomOwner {
    static final String QUERY = "query";

    private RoomOwner() {
    }

    private static void requireOwner(Room room, Jid requester) {
        if (room.affiliations().of(requester) != Affiliation.OWNER) {
            throw new StanzaErrorException(Condition.FORBIDDEN, "only owners configure the room");
        }
    }

    /** §10.2: the configuration form. */
    static Element get(Room room, Jid requester) {
        requireOwner(room, requester);
        MucLimits limits = room.limits();
        return Element.builder(QUERY, MucElements.OWNER)
                .child(room.config().toForm(limits.maxUsers(), limits.historyKept()).toElement()).build();
    }

    /** A submitted form, a cancellation, or a destruction. */
    static void set(Room room, Jid requester, Element query) {
        requireOwner(room, requester);
        Element destroy = query.element("destroy", MucElements.OWNER);
        if (destroy != null) {
            destroy(room, destroy);
            return;
        }
        Element x = query.element(DataForm.ELEMENT, DataForm.NAMESPACE);
        if (x == null) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "expected a data form or a destroy");
        }
        DataForm form = DataForm.from(x);
        if (form.type() == DataForm.Type.CANCEL) {
            if (room.locked()) {
                destroy(room, null);
            }
            return;
        }
        // §10.1.2: an instant room accepts the default configuration with an empty submission.
        boolean instant = form.fields().isEmpty() && form.type() == DataForm.Type.SUBMIT;
        RoomConfig before = room.config();
        RoomConfig after = instant ? before : before.apply(form, room.limits().maxUsers(), room.limits().historyKept());
        boolean wasLocked = room.locked();
        room.config(after);
        room.unlock();
        if (after.membersOnly() && !before.membersOnly()) {
            // §9.3: a room made members-only loses those who are not members.
            for (Occupant o : room.occupants().all()) {
                if (!room.affiliations().of(o.user()).atLeast(Affiliation.MEMBER)) {
                    RoomAdmin.remove(room, o, RoomAdmin.MEMBERS_ONLY_REMOVED);
                }
            }
        }
        if (!wasLocked && !after.equals(before)) {
            List<Integer> codes = new ArrayList<>(List.of(MucElements.CONFIG_CHANGED));
            if (after.nonAnonymous() != before.nonAnonymous()) {
                codes.add(after.nonAnonymous() ? MucElements.NOW_NON_ANONYMOUS : MucElements.NOW_SEMI_ANONYMOUS);
            }
            if (after.publicLogging() != before.publicLogging()) {
                codes.add(after.publicLogging() ? MucElements.LOGGED : MucElements.NOT_LOGGED);
            }
            RoomMessages.broadcast(room, MucElements.statusMessage(room.jid(), codes).withAttr("id", room.nextId()));
        }
    }

    /**
     * §10.9: every occupant gets unavailable presence carrying the destroy element (with the
     * alternate venue and reason, when given), and the room goes.
     */
    static void destroy(Room room, Element destroy) {
        Element notice = null;
        if (destroy != null) {
            String venue = destroy.attr("jid");
            if (venue != null && Jid.parseOrNull(venue) == null) {
                throw new StanzaErrorException(Condition.JID_MALFORMED, "the alternate venue is not a JID");
            }
            notice = Element.builder("destroy", MucElements.USER).attr("jid", venue)
                    .textChild("reason", MucElements.USER, destroy.childText("reason", MucElements.OWNER))
                    .build();
        }
        for (Occupant o : room.occupants().all()) {
            for (Jid s : o.sessions()) {
                Element x = MucElements.userX(Affiliation.NONE, Role.NONE, null, null, List.of(), notice);
                room.send(Stanza.of(Element.builder("presence", org.parley.xmpp.Namespaces.CLIENT)
                        .attr("from", room.jid().withResource(o.nick()).toString()).attr("to", s.toString())
                        .attr("type", "unavailable").child(x).build()));
            }
            room.occupants().remove(o);
        }
        room.markDestroyed();
    }
}
