package org.parley.feature.muc;

import java.util.ArrayList;
import java.util.List;
import org.parley.session.FanOut;
import org.parley.xml.Element;
import org.parley.xml.Node;
import org.parley.xml.SharedEncoding;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;

/**
 * An occupant's presence as the room sends it (XEP-0045 §7.2.3): the occupant's own payload,
 * its XEP-0421 occupant id and the {@code muc#user} item, with the real JID for those who may
 * see it. A broadcast is built once per view, not once per recipient: the occupant itself (with
 * status 110), those who see real JIDs and those who do not; each view is a
 * {@link SharedEncoding}, so its bytes are serialised once for the whole room.
 */
final class RoomPresences {

    private RoomPresences() {
    }

    /** Whether {@code viewer} is shown {@code o}'s real JID (§5.2.1: non-anonymous room, moderators, itself). */
    static boolean seesJid(Room room, Occupant viewer, Occupant o) {
        return room.config().nonAnonymous() || viewer.role() == Role.MODERATOR || viewer == o;
    }

    /** {@code o}'s presence without 'to', with the real JID when {@code withJid}. */
    static Element presence(Room room, Occupant o, boolean withJid, String type, String newNick, List<Integer> codes,
                            Element extra, String id) {
        Element x = MucElements.userX(room.affiliations().of(o.user()), o.role(), withJid ? o.latest() : null, newNick,
                codes, extra);
        List<Node> children = new ArrayList<>(o.payload());
        children.add(o.occupantIdElement());
        children.add(x);
        return Element.builder("presence", Namespaces.CLIENT)
                .attr("from", room.jid().withResource(o.nick()).toString()).attr("type", type).attr("id", id)
                .children(children).build();
    }

    /** {@code o}'s presence as {@code viewer} sees it, to the session {@code to}. */
    static Stanza to(Room room, Occupant o, Occupant viewer, Jid to, String type, List<Integer> codes, String id) {
        return Stanza.of(presence(room, o, seesJid(room, viewer, o), type, null, codes, null, id)
                .withAttr("to", to.toString()));
    }

    /**
     * Whether {@code o}'s presence goes to the moderators only: in a large room, one of more
     * occupants than {@link MucLimits#maxJoinPresences}, the joining, changing and leaving of its
     * participants and visitors is not broadcast to every occupant (which would be a presence to each
     * of N occupants for each of N joins), only to its moderators and the occupant itself, as
     * ejabberd does in a room over {@code max_users_presence}. Moderators' presences go to all.
     */
    static boolean toModeratorsOnly(Room room, Occupant o) {
        return o.role() != Role.MODERATOR && room.occupants().size() > room.limits().maxJoinPresences();
    }

    /**
     * Sends {@code o}'s presence of {@code type} to every session in the room (to the moderators
     * only when {@link #toModeratorsOnly}), with {@code extra} inside its muc#user x and {@code id}
     * reflected; its own sessions get 110. One {@link FanOut}: the connections are handed the
     * copies in bulk.
     */
    static void broadcast(Room room, Occupant o, String type, String newNick, List<Integer> codes, Element extra,
                          String id) {
        SharedEncoding[] views = new SharedEncoding[2];
        Stanza[] templates = new Stanza[2];
        List<Integer> self = null;
        boolean moderatorsOnly = toModeratorsOnly(room, o);
        try (FanOut fanOut = FanOut.open()) {
            for (Occupant other : room.occupants().all()) {
                if (moderatorsOnly && other != o && other.role() != Role.MODERATOR) {
                    continue;
                }
                for (Jid s : other.sessions()) {
                    if (other == o) {
                        if (self == null) {
                            self = new ArrayList<>(codes);
                            self.add(MucElements.SELF);
                        }
                        room.send(Stanza.of(presence(room, o, true, type, newNick, self, extra, id)
                                .withAttr("to", s.toString())));
                        continue;
                    }
                    int view = seesJid(room, other, o) ? 1 : 0;
                    if (views[view] == null) {
                        views[view] = new SharedEncoding(presence(room, o, view == 1, type, newNick, codes, extra, id));
                        templates[view] = Stanza.of(views[view].template());
                    }
                    room.send(templates[view].copyTo(views[view], s));
                }
            }
        }
    }

    /**
     * The others' presence to a newcomer's session (§7.2.3), at most {@code max} of them:
     * moderators first, then the others in the order they joined; in a large room (see
     * {@link #toModeratorsOnly}) a newcomer that is not a moderator is sent the moderators' only,
     * as it will see only theirs change. Those left out are seen when they speak. One
     * {@link FanOut}: up to {@code max} stanzas to one connection are handed over in bulk too.
     */
    static void toNewcomer(Room room, Occupant newcomer, Jid session, String id, int max) {
        try (FanOut fanOut = FanOut.open()) {
            others(room, newcomer, session, id, max);
        }
    }

    private static void others(Room room, Occupant newcomer, Jid session, String id, int max) {
        int sent = 0;
        boolean moderatorsOnly = toModeratorsOnly(room, newcomer);
        for (boolean moderators : moderatorsOnly ? new boolean[] {true} : new boolean[] {true, false}) {
            for (Occupant other : room.occupants().all()) {
                if (other == newcomer || (other.role() == Role.MODERATOR) != moderators) {
                    continue;
                }
                if (sent++ >= max) {
                    return;
                }
                room.send(to(room, other, newcomer, session, null, List.of(), id));
            }
        }
    }
}
