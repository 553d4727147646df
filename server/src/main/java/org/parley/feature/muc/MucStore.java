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
     */
    record StoredRoom(Jid room, String config, String subject, Jid subjectBy, Map<Jid, Affiliation> affiliations) {
        public StoredRoom {
            affiliations = Map.copyOf(affiliations);
        }
    }

    /** Writes the room whole, replacing what was stored for it. */
    void save(StoredRoom room);

    void delete(Jid room);

    List<StoredRoom> all();
}
