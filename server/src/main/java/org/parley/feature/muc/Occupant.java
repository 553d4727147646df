package org.parley.feature.muc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;

/**
 * One nickname in a room: a user (bare JID) present with one or more sessions (full JIDs), the
 * multi-session nick several devices of one user share. Each session keeps its last presence
 * payload; the occupant's presence as others see it is the latest session's. Changed only under
 * the room's lock.
 */
final class Occupant {
    private String nick;
    private final Jid user;
    private final String occupantId;
    private Role role;
    /** A voice request of this visitor went to the moderators and is not answered yet (§7.13). */
    private boolean voiceRequested;
    /** Full JID of each session to its presence children (show, status, caps...), latest last. */
    private final LinkedHashMap<Jid, List<Element>> sessions = new LinkedHashMap<>();

    /** @param occupantId the XEP-0421 id of {@code user} in the room */
    Occupant(String nick, Jid user, Role role, String occupantId) {
        this.nick = nick;
        this.user = user.bare();
        this.role = role;
        this.occupantId = occupantId;
    }

    /** The XEP-0421 {@code <occupant-id/>} the room adds to this occupant's presences and messages. */
    Element occupantIdElement() {
        return OccupantIds.element(occupantId);
    }

    String nick() {
        return nick;
    }

    void nick(String newNick) {
        nick = newNick;
    }

    /** The occupant's bare JID. */
    Jid user() {
        return user;
    }

    Role role() {
        return role;
    }

    void role(Role newRole) {
        role = newRole;
    }

    boolean voiceRequested() {
        return voiceRequested;
    }

    void voiceRequested(boolean pending) {
        voiceRequested = pending;
    }

    /** Adds a session, or updates its presence and makes it the latest. */
    void present(Jid session, List<Element> payload) {
        sessions.remove(session);
        sessions.put(session, List.copyOf(payload));
    }

    /** Removes a session; true when it was one of this occupant's. */
    boolean leave(Jid session) {
        return sessions.remove(session) != null;
    }

    boolean has(Jid session) {
        return sessions.containsKey(session);
    }

    boolean gone() {
        return sessions.isEmpty();
    }

    /** Every session's full JID, oldest first. */
    List<Jid> sessions() {
        return new ArrayList<>(sessions.keySet());
    }

    /** The latest session's full JID: the real JID others may be shown. */
    Jid latest() {
        Jid last = null;
        for (Jid j : sessions.keySet()) {
            last = j;
        }
        return last;
    }

    /** The presence payload of one session (the same list until that session's presence changes). */
    List<Element> payload(Jid session) {
        List<Element> p = sessions.get(session);
        return p == null ? List.of() : p;
    }

    /** The presence payload others see: the latest session's. */
    List<Element> payload() {
        List<Element> last = List.of();
        for (Map.Entry<Jid, List<Element>> e : sessions.entrySet()) {
            last = e.getValue();
        }
        return last;
    }
}
