package org.parley.feature.muc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.store.sql.Database;
import org.parley.store.sql.Jdbc;
import org.parley.xmpp.Jid;

/** {@link MucStore} on the server's database (tables of {@code db/muc}). */
public final class SqlMucStore implements MucStore {
    private final Jdbc jdbc;

    public SqlMucStore(Database database) {
        this.jdbc = database.jdbc();
    }

    @Override
    public void save(StoredRoom room) {
        String key = room.room().toString();
        jdbc.write("save room", c -> {
            Jdbc.update(c, "INSERT INTO muc_rooms (room, config, subject, subject_by, occupant_salt)"
                            + " VALUES (?, ?, ?, ?, ?)"
                            + " ON CONFLICT (room) DO UPDATE SET config = excluded.config, subject = excluded.subject,"
                            + " subject_by = excluded.subject_by, occupant_salt = excluded.occupant_salt",
                    key, room.config(), room.subject(), room.subjectBy() == null ? null : room.subjectBy().toString(),
                    room.occupantIdSalt());
            Jdbc.update(c, "DELETE FROM muc_affiliations WHERE room = ?", key);
            for (Map.Entry<Jid, Affiliation> e : room.affiliations().entrySet()) {
                Jdbc.update(c, "INSERT INTO muc_affiliations (room, jid, affiliation, nick) VALUES (?, ?, ?, ?)",
                        key, e.getKey().toString(), e.getValue().xmlValue(), room.nicks().get(e.getKey()));
            }
            return null;
        });
    }

    @Override
    public void delete(Jid room) {
        jdbc.write("delete room", c -> Jdbc.update(c, "DELETE FROM muc_rooms WHERE room = ?", room.toString()));
    }

    @Override
    public List<StoredRoom> all() {
        return jdbc.read("read rooms", c -> {
            Map<String, Map<Jid, Affiliation>> affiliations = new HashMap<>();
            Map<String, Map<Jid, String>> nicks = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT room, jid, affiliation, nick FROM muc_affiliations");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Affiliation a = Affiliation.parse(rs.getString(3));
                    Jid jid = Jid.parseOrNull(rs.getString(2));
                    if (a != null && jid != null) {
                        affiliations.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(jid, a);
                        if (rs.getString(4) != null) {
                            nicks.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(jid, rs.getString(4));
                        }
                    }
                }
            }
            List<StoredRoom> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT room, config, subject, subject_by, occupant_salt FROM muc_rooms");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Jid room = Jid.parseOrNull(rs.getString(1));
                    if (room != null) {
                        String by = rs.getString(4);
                        out.add(new StoredRoom(room, rs.getString(2), rs.getString(3),
                                by == null ? null : Jid.parseOrNull(by),
                                affiliations.getOrDefault(rs.getString(1), Map.of()),
                                nicks.getOrDefault(rs.getString(1), Map.of()), rs.getString(5)));
                    }
                }
            }
            return out;
        });
    }
}
