package org.parley.feature.muc;

import java.util.ArrayList;
import java.util.List;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * The {@code muc#admin} requests (XEP-0045 §8, §9, §10): changing roles by nickname (kick, voice,
 * moderator) and affiliations by bare JID (ban, membership, admin, owner), with each permission
 * rule of the XEP, and reading the lists. A request's items are checked together before any is
 * applied, so a refused request changes nothing.
 */
final class RoomAdmin {
    static final String QUERY = "query";

    /** §15.6 status codes of removals. */
    private static final int BANNED = 301;
    private static final int AFFILIATION_REMOVED = 321;
    static final int MEMBERS_ONLY_REMOVED = 322;

    private RoomAdmin() {
    }

    /** One item of a request; {@code nick} is a nickname an admin reserves for a member (§9.5), else null. */
    private record Change(Occupant occupant, Role role, Jid user, Affiliation affiliation, String nick) {
    }

    /** §9.5, §9.8, §10.5, §10.8, §8.5: a list by affiliation or by role. */
    static Element get(Room room, Jid requester, Element query) {
        Element item = query.element("item", MucElements.ADMIN);
        if (item == null) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "ask for an affiliation or a role");
        }
        Affiliation mine = room.affiliations().of(requester);
        Occupant me = room.occupants().bySession(requester);
        Element.Builder out = Element.builder(QUERY, MucElements.ADMIN);
        Affiliation affiliation = Affiliation.parse(item.attr("affiliation"));
        Role role = Role.parse(item.attr("role"));
        if (affiliation != null && affiliation != Affiliation.NONE) {
            if (!mine.atLeast(Affiliation.ADMIN) && !(affiliation == Affiliation.MEMBER && me != null
                    && me.role() == Role.MODERATOR)) {
                throw new StanzaErrorException(Condition.FORBIDDEN, "only admins and owners see that list");
            }
            for (Jid j : room.affiliations().with(affiliation)) {
                out.child(Element.builder("item", MucElements.ADMIN).attr("affiliation", affiliation.xmlValue())
                        .attr("jid", j.toString()).attr("nick", room.affiliations().nick(j)).build());
            }
        } else if (role != null && role != Role.NONE) {
            if (me == null || me.role() != Role.MODERATOR) {
                throw new StanzaErrorException(Condition.FORBIDDEN, "only moderators see that list");
            }
            for (Occupant o : room.occupants().all()) {
                if (o.role() == role) {
                    out.child(Element.builder("item", MucElements.ADMIN).attr("role", role.xmlValue())
                            .attr("nick", o.nick()).attr("jid", o.latest().toString())
                            .attr("affiliation", room.affiliations().of(o.user()).xmlValue()).build());
                }
            }
        } else {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "ask for an affiliation or a role");
        }
        return out.build();
    }

    static void set(Room room, Jid requester, Element query) {
        Affiliation mine = room.affiliations().of(requester);
        Occupant me = room.occupants().bySession(requester);
        Role myRole = me == null ? Role.NONE : me.role();
        List<Change> changes = new ArrayList<>();
        List<Element> items = query.elements("item", MucElements.ADMIN);
        if (items.isEmpty()) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "no item to change");
        }
        for (Element item : items) {
            changes.add(check(room, mine, myRole, item));
        }
        int owners = room.affiliations().with(Affiliation.OWNER).size();
        for (Change c : changes) {
            if (c.user() != null && room.affiliations().of(c.user()) == Affiliation.OWNER
                    && c.affiliation() != Affiliation.OWNER) {
                owners--;
            } else if (c.user() != null && c.affiliation() == Affiliation.OWNER
                    && room.affiliations().of(c.user()) != Affiliation.OWNER) {
                owners++;
            }
        }
        if (owners < 1) {
            // §10.6: a room keeps at least one owner.
            throw new StanzaErrorException(Condition.CONFLICT, "the room's last owner stays");
        }
        for (Change c : changes) {
            apply(room, c);
        }
    }

    private static Change check(Room room, Affiliation mine, Role myRole, Element item) {
        String nick = item.attr("nick");
        String jid = item.attr("jid");
        Role role = Role.parse(item.attr("role"));
        Affiliation affiliation = Affiliation.parse(item.attr("affiliation"));
        if (role != null && nick != null) {
            Occupant target = room.occupants().byNick(nick);
            if (target == null) {
                throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "no occupant has that nickname");
            }
            if (myRole != Role.MODERATOR) {
                throw new StanzaErrorException(Condition.FORBIDDEN, "only moderators change roles");
            }
            Affiliation theirs = room.affiliations().of(target.user());
            if (role != Role.MODERATOR && theirs.atLeast(Affiliation.ADMIN)) {
                // §8.2, §8.4, §9.7: admins and owners keep their moderation.
                throw new StanzaErrorException(Condition.NOT_ALLOWED, "admins and owners stay moderators");
            }
            boolean moderatorChange = role == Role.MODERATOR || target.role() == Role.MODERATOR;
            if (moderatorChange && !mine.atLeast(Affiliation.ADMIN)) {
                throw new StanzaErrorException(Condition.FORBIDDEN, "only admins and owners change moderators");
            }
            return new Change(target, role, null, null, null);
        }
        if (affiliation != null && jid != null) {
            Jid user = Jid.parseOrNull(jid);
            if (user == null) {
                throw new StanzaErrorException(Condition.JID_MALFORMED, "not a JID: " + jid);
            }
            Affiliation theirs = room.affiliations().of(user);
            if (!mine.atLeast(Affiliation.ADMIN)) {
                throw new StanzaErrorException(Condition.FORBIDDEN, "only admins and owners change affiliations");
            }
            if (affiliation.atLeast(Affiliation.ADMIN) && mine != Affiliation.OWNER) {
                // §10.3, §10.6: only owners grant admin and ownership.
                throw new StanzaErrorException(Condition.FORBIDDEN, "only owners make admins and owners");
            }
            if (theirs.atLeast(Affiliation.ADMIN) && mine != Affiliation.OWNER) {
                // §9.1: an admin may not ban or demote an admin or owner.
                throw new StanzaErrorException(Condition.NOT_ALLOWED, "only owners change admins and owners");
            }
            String reserved = item.attr("nick");
            if (reserved != null) {
                Jid holder = room.affiliations().holder(reserved);
                if (holder != null && !holder.equals(user.bare())) {
                    throw new StanzaErrorException(Condition.CONFLICT, "that nickname is reserved by someone else");
                }
            }
            return new Change(null, null, user.bare(), affiliation, reserved);
        }
        throw new StanzaErrorException(Condition.BAD_REQUEST, "an item names a nick and a role, or a jid and an affiliation");
    }

    private static void apply(Room room, Change c) {
        if (c.occupant() != null) {
            Occupant o = c.occupant();
            if (c.role() == Role.NONE) {
                remove(room, o, MucElements.KICKED);
            } else {
                o.role(c.role());
                room.broadcastPresence(o, null, List.of());
            }
            return;
        }
        change(room, c.user(), c.affiliation());
        if (c.nick() != null && c.affiliation().atLeast(Affiliation.MEMBER)) {
            room.affiliations().reserve(c.user(), c.nick());
        }
    }

    /** Sets {@code user}'s affiliation and applies what follows for its occupant: a new role, or removal. */
    static void change(Room room, Jid user, Affiliation affiliation) {
        room.affiliations().set(user, affiliation);
        Occupant o = room.occupants().byUser(user);
        if (o == null) {
            return;
        }
        if (affiliation == Affiliation.OUTCAST) {
            remove(room, o, BANNED);
        } else if (room.config().membersOnly() && !affiliation.atLeast(Affiliation.MEMBER)) {
            remove(room, o, AFFILIATION_REMOVED);
        } else {
            o.role(room.defaultRole(affiliation));
            room.broadcastPresence(o, null, List.of());
        }
    }

    /** Removes an occupant with every session, telling everyone why ({@code code}). */
    static void remove(Room room, Occupant o, int code) {
        o.role(Role.NONE);
        room.broadcastPresence(o, "unavailable", null, List.of(code), null, null);
        room.occupants().remove(o);
    }
}
