package org.parley.feature.muc;

import java.util.List;
import java.util.Map;
import org.parley.xmpp.Jid;

/**
 * Where persistent rooms are kept (XEP-0045 §10.2, {@code muc#roomconfig_persistentroom}): their
 * configuration, subject and affiliations survive a restart. Temporary rooms are never stored.
 */
public interface MucStore {

    /**
     * One stored room.
     *
     * @param config    the configuration as a submitted {@code muc#roomconfig} form's XML
     * @param subjectBy the occupant JID that set the subject, null when the room did or none was set
     * @param nicks     the nicknames reserved by registration (§7.10), by bare JID
     * @param occupantIdSalt the salt of the room's XEP-0421 occupant ids, null when none was stored
     */
    record StoredRoom(Jid room, String config, String subject, Jid subjectBy, Map<Jid, Affiliation> affiliations,
                      Map<Jid, String> nicks, String occupantIdSalt) {
        public StoredRoom {
            affiliations = Map.copyOf(affiliations);
            nicks = Map.copyOf(nicks);
        }
    }

    /** Writes the room whole, replacing what was stored for it. */
    void save(StoredRoom room);

    void delete(Jid room);

    List<StoredRoom> all();
}
