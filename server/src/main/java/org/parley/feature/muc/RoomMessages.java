package org.parley.feature.muc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.parley.feature.mam.ServiceArchives;
import org.parley.route.Router;
import org.parley.session.FanOut;
import org.parley.xml.Element;
import org.parley.xml.SharedEncoding;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * A room's messages (XEP-0045 §7.4, §7.5, §8.1): groupchat messages broadcast with the room's
 * XEP-0359 stanza-id and kept for history, subject changes, private messages between occupants,
 * and the errors that show an occupant is gone.
 */
final class RoomMessages {
    /** Errors that mean the session the room wrote to is not there any more. */
    private static final Set<Condition> GONE = Set.of(Condition.SERVICE_UNAVAILABLE, Condition.RECIPIENT_UNAVAILABLE,
            Condition.ITEM_NOT_FOUND, Condition.REMOTE_SERVER_NOT_FOUND, Condition.REMOTE_SERVER_TIMEOUT,
            Condition.GONE);

    private RoomMessages() {
    }

    static void message(Room room, Stanza m) {
        if (m.isError()) {
            StanzaError error = StanzaError.from(m.element());
            if (error == null || GONE.contains(error.condition())) {
                room.removeGhost(m.from());
            }
            return;
        }
        boolean groupchat = "groupchat".equals(m.type());
        if (m.to().resource() != null) {
            if (groupchat) {
                // §7.5: a private message is not of type groupchat.
                throw new StanzaErrorException(Condition.BAD_REQUEST, "a private message is not of type groupchat");
            }
            privateMessage(room, m);
        } else if (groupchat) {
            groupchat(room, m);
        } else if (!RoomInvitations.handle(room, m) && !RoomVoice.handle(room, m)) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "messages to a room are of type groupchat");
        }
    }

    private static Occupant sender(Room room, Stanza m) {
        Occupant o = room.occupants().bySession(m.from());
        if (o == null) {
            // §7.4, §7.5: only occupants talk in a room.
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, "only occupants may send messages to the room");
        }
        return o;
    }

    private static void groupchat(Room room, Stanza m) {
        Occupant o = sender(room, m);
        Element e = m.element();
        String body = e.childText("body", Namespaces.CLIENT);
        Element subject = e.element("subject", Namespaces.CLIENT);
        if (subject != null && body == null) {
            changeSubject(room, o, e, subject.text());
            return;
        }
        if (o.role() == Role.VISITOR) {
            // §7.4: a visitor in a moderated room has no voice.
            throw new StanzaErrorException(Condition.FORBIDDEN, "visitors may not speak in a moderated room");
        }
        if (body != null && body.length() > room.limits().maxMessageChars()) {
            throw new StanzaErrorException(Condition.POLICY_VIOLATION,
                    "messages are at most " + room.limits().maxMessageChars() + " characters");
        }
        String roomJid = room.jid().toString();
        Element out = e.withoutChildren(c -> OccupantIds.is(c)
                        || c.is("stanza-id", Namespaces.STANZA_ID) && roomJid.equals(c.attr("by")))
                .withAttr("from", room.jid().withResource(o.nick()).toString()).withAttr("to", null)
                .withChild(o.occupantIdElement());
        RoomArchive.Kept kept = room.archive().keep(out, o.user(), room.clock().instant());
        if (kept.durable() == null) {
            broadcast(room, kept.message());
            room.push().missed(room, kept.message(), o).run();
            return;
        }
        // In a cluster: decided here, under the room's lock (recipients, push notifications), sent
        // once durable; a failed commit is answered as a failed store is.
        room.sendWhenDurable(kept.durable(), copies(room, kept.message()), room.push().missed(room, kept.message(), o),
                failure -> {
                    room.archive().failed(kept.id());
                    return m.errorReply(Router.storeFailure(ServiceArchives.failure(failure)), m.to());
                });
    }

    private static void changeSubject(Room room, Occupant o, Element e, String text) {
        boolean may = o.role() == Role.MODERATOR
                || (room.config().changeSubject() && o.role().atLeast(Role.PARTICIPANT));
        if (!may) {
            // §8.1: only those allowed change the subject.
            throw new StanzaErrorException(Condition.FORBIDDEN, "you may not change the subject of this room");
        }
        Jid from = room.jid().withResource(o.nick());
        room.subject(text, from);
        broadcast(room, e.withoutChildren(OccupantIds::is).withAttr("from", from.toString()).withAttr("to", null)
                .withChild(o.occupantIdElement()));
    }

    /**
     * Sends {@code message} (without 'to') to every session of every occupant, serialised once
     * for all of them ({@link SharedEncoding}) and handed to the connections as one {@link FanOut}.
     */
    static void broadcast(Room room, Element message) {
        SharedEncoding shared = new SharedEncoding(message);
        Stanza template = Stanza.of(shared.template());
        try (FanOut fanOut = FanOut.open()) {
            for (Occupant other : room.occupants().all()) {
                for (Jid s : other.sessions()) {
                    room.send(template.copyTo(shared, s));
                }
            }
        }
    }

    /** As {@link #broadcast}, the copies to send later ({@link Room#sendWhenDurable}). */
    private static List<Stanza> copies(Room room, Element message) {
        SharedEncoding shared = new SharedEncoding(message);
        Stanza template = Stanza.of(shared.template());
        List<Stanza> copies = new ArrayList<>();
        for (Occupant other : room.occupants().all()) {
            for (Jid s : other.sessions()) {
                copies.add(template.copyTo(shared, s));
            }
        }
        return copies;
    }

    private static void privateMessage(Room room, Stanza m) {
        Occupant o = sender(room, m);
        Occupant target = room.occupants().byNick(m.to().resource());
        if (target == null) {
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "no occupant has that nickname");
        }
        Role needed = switch (room.config().allowPm()) {
            case "anyone" -> Role.VISITOR;
            case "participants" -> Role.PARTICIPANT;
            case "moderators" -> Role.MODERATOR;
            default -> null;
        };
        if (needed == null || !o.role().atLeast(needed)) {
            throw new StanzaErrorException(Condition.FORBIDDEN, "private messages are not allowed in this room");
        }
        Element e = m.element().withoutChildren(OccupantIds::is).withChild(o.occupantIdElement());
        if (e.element("x", MucElements.USER) == null) {
            e = e.withChild(Element.empty("x", MucElements.USER));
        }
        Element out = e.withAttr("from", room.jid().withResource(o.nick()).toString());
        for (Jid s : target.sessions()) {
            room.send(Stanza.of(out.withAttr("to", s.toString())));
        }
    }
}
