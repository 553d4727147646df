package org.parley.feature.muc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.xmpp.Jid;

/**
 * A room's occupants by nickname, and by the full JID of each of their sessions. Nicknames are
 * compared as given (they are JID resourceparts, already PRECIS-normalised). Changed only under
 * the room's lock.
 */
final class Occupants {
    private final Map<String, Occupant> byNick = new LinkedHashMap<>();
    private final Map<Jid, Occupant> bySession = new HashMap<>();

    Occupant byNick(String nick) {
        return byNick.get(nick);
    }

    /** The occupant one of whose sessions is {@code session}, or null. */
    Occupant bySession(Jid session) {
        return bySession.get(session);
    }

    /** The occupant of {@code user}'s bare JID, or null (a user holds one nick in a room). */
    Occupant byUser(Jid user) {
        Jid bare = user.bare();
        for (Occupant o : byNick.values()) {
            if (o.user().equals(bare)) {
                return o;
            }
        }
        return null;
    }

    void add(Occupant o, Jid session) {
        byNick.put(o.nick(), o);
        bySession.put(session, o);
    }

    /** Records another session of an occupant already present. */
    void addSession(Occupant o, Jid session) {
        bySession.put(session, o);
    }

    /** Removes one session; the occupant goes with its last. */
    void removeSession(Occupant o, Jid session) {
        bySession.remove(session);
        o.leave(session);
        if (o.gone()) {
            byNick.remove(o.nick());
        }
    }

    /** Removes the occupant and every session of it. */
    void remove(Occupant o) {
        for (Jid s : o.sessions()) {
            bySession.remove(s);
            o.leave(s);
        }
        byNick.remove(o.nick());
    }

    void rename(Occupant o, String newNick) {
        byNick.remove(o.nick());
        o.nick(newNick);
        byNick.put(newNick, o);
    }

    /** A snapshot, safe to iterate while a send causes a change (a bounce removing a ghost). */
    List<Occupant> all() {
        return new ArrayList<>(byNick.values());
    }

    int size() {
        return byNick.size();
    }

    boolean isEmpty() {
        return byNick.isEmpty();
    }
}
