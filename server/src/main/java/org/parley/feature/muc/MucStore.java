package org.parley.feature.muc;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.xmpp.Jid;

/**
 * Where persistent rooms are kept (XEP-0045 §10.2, {@code muc#roomconfig_persistentroom}): their
 * configuration, subject and affiliations survive a restart. On one node temporary rooms are
 * never stored; in a cluster every configured room is, with its occupants, so that the node
 * taking a room over finds it as its owner left it.
 */
public interface MucStore {

    /**
     * One stored room.
     *
     * @param config    the configuration as a submitted {@code muc#roomconfig} form's XML
     * @param subjectBy the occupant JID that set the subject, null when the room did or none was set
     * @param nicks     the nicknames reserved by registration (§7.10), by bare JID
     * @param occupantIdSalt the salt of the room's XEP-0421 occupant ids, null when none was stored
     * @param maker     the user whose first join made the room (bare JID), null when not known
     */
    record StoredRoom(Jid room, String config, String subject, Jid subjectBy, Map<Jid, Affiliation> affiliations,
                      Map<Jid, String> nicks, String occupantIdSalt, Jid maker) {
        public StoredRoom {
            affiliations = Map.copyOf(affiliations);
            nicks = Map.copyOf(nicks);
        }
    }

    /**
     * One joined session of a room's occupant.
     *
     * @param session  the session's full JID
     * @param presence the session's presence payload as XML (children one after another), or empty
     */
    record StoredOccupant(Jid session, String nick, Role role, String presence) {
    }

    /** Writes the room whole, replacing what was stored for it. */
    void save(StoredRoom room);

    /** Deletes the room, its affiliations and its occupants. */
    void delete(Jid room);

    List<StoredRoom> all();

    /** One stored room. */
    Optional<StoredRoom> load(Jid room);

    /**
     * How many stored rooms {@code user} made: with the rooms this node made and has not stored,
     * what {@link MucLimits#roomsPerUser} counts, the same on every node of a cluster.
     */
    int madeBy(Jid user);

    /** The room's occupants' sessions, in the order they joined. */
    List<StoredOccupant> occupants(Jid room);

    /** Writes the sessions that joined or changed, and removes those that left, in one transaction. */
    void occupants(Jid room, List<StoredOccupant> changed, List<Jid> left);
}
