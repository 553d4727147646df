package org.parley.feature.muc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;

/**
 * The rooms' occupants as the store holds them, in a cluster: after each stanza a room handled,
 * the sessions that joined, changed (nickname, role, presence) or left are written, so the node
 * that takes the room over ({@link Rooms#acquire}) finds every occupant still joined. What was
 * last written is remembered per session with the presence list it came from, so a message (which
 * changes no occupant) costs one map lookup per session and no serialising. Used under the
 * room's lock.
 */
final class StoredOccupants {
    private record Written(MucStore.StoredOccupant row, List<Element> payload) {
    }

    private final MucStore store;
    private final Map<Jid, Map<Jid, Written>> rooms = new ConcurrentHashMap<>();

    StoredOccupants(MucStore store) {
        this.store = store;
    }

    /** Puts the stored occupants of a room just loaded into it, and remembers them as written. */
    void restore(Room room) {
        Map<Jid, Written> written = new HashMap<>();
        for (MucStore.StoredOccupant s : store.occupants(room.jid())) {
            Occupant o = room.occupants().byNick(s.nick());
            if (o == null) {
                if (room.occupants().bySession(s.session()) != null) {
                    continue;
                }
                o = new Occupant(s.nick(), s.session(), s.role(), room.occupantId(s.session()));
                o.present(s.session(), parse(s.presence()));
                room.occupants().add(o, s.session());
            } else if (o.user().equals(s.session().bare())) {
                o.present(s.session(), parse(s.presence()));
                room.occupants().addSession(o, s.session());
            } else {
                continue;
            }
            written.put(s.session(), new Written(s, o.payload(s.session())));
        }
        rooms.put(room.jid(), written);
    }

    /** Writes what changed in the room's occupants since the last call. */
    void sync(Room room) {
        Map<Jid, Written> before = rooms.computeIfAbsent(room.jid(), r -> new HashMap<>());
        Map<Jid, Written> now = new HashMap<>();
        List<MucStore.StoredOccupant> changed = new ArrayList<>();
        for (Occupant o : room.occupants().all()) {
            for (Jid session : o.sessions()) {
                List<Element> payload = o.payload(session);
                Written w = before.get(session);
                if (w == null || w.payload() != payload || w.row().role() != o.role() || !w.row().nick().equals(o.nick())) {
                    w = new Written(new MucStore.StoredOccupant(session, o.nick(), o.role(), xml(payload)), payload);
                    changed.add(w.row());
                }
                now.put(session, w);
            }
        }
        List<Jid> left = new ArrayList<>();
        for (Jid session : before.keySet()) {
            if (!now.containsKey(session)) {
                left.add(session);
            }
        }
        if (!changed.isEmpty() || !left.isEmpty()) {
            store.occupants(room.jid(), changed, left);
        }
        rooms.put(room.jid(), now);
    }

    /** The room left this node (taken over elsewhere, or gone): nothing more is remembered of it. */
    void forget(Jid room) {
        rooms.remove(room);
    }

    private static String xml(List<Element> payload) {
        StringBuilder sb = new StringBuilder();
        for (Element e : payload) {
            sb.append(e.toXml());
        }
        return sb.toString();
    }

    private static List<Element> parse(String xml) {
        if (xml == null || xml.isEmpty()) {
            return List.of();
        }
        List<Element> out = new ArrayList<>();
        for (Element e : XmlStrings.parse("<presence xmlns='" + Namespaces.CLIENT + "'>" + xml + "</presence>").elements()) {
            out.add(e);
        }
        return out;
    }
}
