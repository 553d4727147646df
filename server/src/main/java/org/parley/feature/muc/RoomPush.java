package org.parley.feature.muc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.feature.push.PushNotifications;
import org.parley.route.Directory;
import org.parley.session.Session;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * Push notifications (XEP-0357) for a room's members while they are not in it. No XEP says how a
 * member asks a room for them (Tigase's registration field, XEP-0452's mention forwarding and
 * ejabberd's MucSub each do it their own way), so Parley's rooms take a small IQ of their own, in
 * {@link #NAMESPACE} (announced in the room's disco#info):
 * {@code <iq type='set' to='room@service'><notify xmlns='urn:parley:muc:push:0' when='all'/></iq>},
 * {@code when} being {@code all}, {@code mentions} (messages whose body names the member's
 * nickname) or {@code never} (the default); a get answers the member's current choice. Only
 * members (and admins, owners) of the room, with an account on this server, may ask. A message
 * then reaches the member's own XEP-0357 registrations, as a one-to-one message they missed
 * would, when none of the member's sessions is in the room, or each that is waits detached for
 * resumption (a phone asleep). Preferences are kept in the database ({@link MucPushStore}) and
 * go with the room; a member who loses their membership is no longer notified.
 */
final class RoomPush {
    static final String NAMESPACE = "urn:parley:muc:push:0";
    static final String ELEMENT = "notify";

    /** What a member wants to be notified of. */
    enum When {
        ALL, MENTIONS, NEVER;

        String xmlValue() {
            return name().toLowerCase(Locale.ROOT);
        }

        static When parse(String value) {
            for (When w : values()) {
                if (w.xmlValue().equals(value)) {
                    return w;
                }
            }
            return null;
        }
    }

    private record Preference(When when, String nick) {
    }

    private final Map<Jid, Map<Jid, Preference>> byRoom = new ConcurrentHashMap<>();
    private final PushNotifications push;
    private final Directory directory;
    private final MucPushStore store;
    private final String serverDomain;

    RoomPush(PushNotifications push, Directory directory, MucPushStore store, String serverDomain) {
        this.push = push;
        this.directory = directory;
        this.store = store;
        this.serverDomain = serverDomain;
    }

    /** Loads the stored preferences. */
    void load() {
        for (MucPushStore.Stored s : store.all()) {
            byRoom.computeIfAbsent(s.room(), r -> new ConcurrentHashMap<>())
                    .put(s.user(), new Preference(s.when(), s.nick()));
        }
    }

    /** The IQ get: the requester's choice in this room. */
    Element get(Room room, Jid requester) {
        Preference p = byRoom.getOrDefault(room.jid(), Map.of()).get(requester.bare());
        return answer(p == null ? When.NEVER : p.when());
    }

    /** The IQ set: records the requester's choice, under the room's lock. */
    void set(Room room, Jid requester, Element notify) {
        When when = When.parse(notify.attr("when"));
        if (when == null) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "'when' is all, mentions or never");
        }
        if (requester.local() == null || !requester.domain().equals(serverDomain)) {
            throw new StanzaErrorException(Condition.NOT_ALLOWED, "push notifications are for this server's accounts");
        }
        if (!room.affiliations().of(requester).atLeast(Affiliation.MEMBER)) {
            throw new StanzaErrorException(Condition.FORBIDDEN, "only members are notified of a room's messages");
        }
        Jid user = requester.bare();
        if (when == When.NEVER) {
            Map<Jid, Preference> prefs = byRoom.get(room.jid());
            if (prefs != null && prefs.remove(user) != null) {
                store.delete(room.jid(), user);
            }
            return;
        }
        Occupant o = room.occupants().byUser(user);
        String nick = o != null ? o.nick() : notify.attr("nick") != null ? notify.attr("nick") : user.local();
        store.save(new MucPushStore.Stored(room.jid(), user, when, nick));
        byRoom.computeIfAbsent(room.jid(), r -> new ConcurrentHashMap<>()).put(user, new Preference(when, nick));
    }

    /** The room is gone, and its members' preferences with it. */
    void forget(Jid room) {
        if (byRoom.remove(room) != null) {
            store.deleteRoom(room);
        }
    }

    /** Forgets the choices of the members of {@code room} that {@code gone} matches. */
    void forget(Jid room, java.util.function.Predicate<Jid> gone) {
        Map<Jid, Preference> prefs = byRoom.get(room);
        if (prefs == null) {
            return;
        }
        for (Jid user : List.copyOf(prefs.keySet())) {
            if (gone.test(user) && prefs.remove(user) != null) {
                store.delete(room, user);
            }
        }
    }

    /**
     * For {@code message} (as broadcast, from {@code sender}): what notifies each member who asked
     * for it and does not see it, to run once the message went to the occupants. Who is decided
     * here, under the room's lock; the push itself goes out on push's own threads.
     */
    Runnable missed(Room room, Element message, Occupant sender) {
        Map<Jid, Preference> prefs = byRoom.get(room.jid());
        String body = message.childText("body", Namespaces.CLIENT);
        if (prefs == null || prefs.isEmpty() || body == null || body.isBlank()) {
            return () -> { };
        }
        Jid from = Jid.of(message.attr("from"));
        List<Jid> users = new ArrayList<>();
        for (Map.Entry<Jid, Preference> e : prefs.entrySet()) {
            Jid user = e.getKey();
            Preference p = e.getValue();
            if (user.equals(sender.user()) || !room.affiliations().of(user).atLeast(Affiliation.MEMBER)) {
                continue;
            }
            Occupant present = room.occupants().byUser(user);
            String nick = present != null ? present.nick() : p.nick();
            if ((p.when() == When.MENTIONS && !mentions(body, nick)) || sees(present)) {
                continue;
            }
            users.add(user);
        }
        return () -> users.forEach(user -> push.missed(user, from, body));
    }

    /** Whether one of the occupant's sessions is connected (not detached awaiting resumption). */
    private boolean sees(Occupant o) {
        if (o == null) {
            return false;
        }
        for (Jid s : o.sessions()) {
            Session session = directory.session(s);
            if (session != null && !session.isDetached()) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code body} names {@code nick} as a word of its own, ignoring case. */
    static boolean mentions(String body, String nick) {
        if (nick == null || nick.isEmpty()) {
            return false;
        }
        String text = body.toLowerCase(Locale.ROOT);
        String name = nick.toLowerCase(Locale.ROOT);
        for (int i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
            int end = i + name.length();
            if ((i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))
                    && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
                return true;
            }
        }
        return false;
    }

    private static Element answer(When when) {
        return Element.builder(ELEMENT, NAMESPACE).attr("when", when.xmlValue()).build();
    }
}
