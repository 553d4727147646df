package org.parley.feature.muc;

import java.util.List;
import org.parley.xmpp.Jid;

/** Where the members' push preferences of each room are kept ({@link RoomPush}). */
public interface MucPushStore {

    /** One member's preference in one room. */
    record Stored(Jid room, Jid user, RoomPush.When when, String nick) {
    }

    /** Writes a preference, replacing the member's former one in that room. */
    void save(Stored preference);

    void delete(Jid room, Jid user);

    /** Forgets every preference of a room that is gone. */
    void deleteRoom(Jid room);

    List<Stored> all();
}
