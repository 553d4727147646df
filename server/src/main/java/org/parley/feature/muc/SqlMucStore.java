package org.parley.feature.muc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.store.sql.Database;
import org.parley.store.sql.Jdbc;
import org.parley.xmpp.Jid;

/** {@link MucStore} on the server's database (tables of {@code db/muc}). */
public final class SqlMucStore implements MucStore {
    private final Jdbc jdbc;
    /**
     * Orders the sessions of a room as they joined: about microseconds since the epoch, kept rising
     * on this node; across nodes one writes a room at a time, after the one before (clocks agreeing).
     */
    private final AtomicLong joined = new AtomicLong();

    public SqlMucStore(Database database) {
        this.jdbc = database.jdbc();
    }

    @Override
    public void save(StoredRoom room) {
        String key = room.room().toString();
        jdbc.write("save room", c -> {
            Jdbc.update(c, "INSERT INTO muc_rooms (room, config, subject, subject_by, occupant_salt, maker)"
                            + " VALUES (?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (room) DO UPDATE SET config = excluded.config, subject = excluded.subject,"
                            + " subject_by = excluded.subject_by, occupant_salt = excluded.occupant_salt, maker = excluded.maker",
                    key, room.config(), room.subject(), room.subjectBy() == null ? null : room.subjectBy().toString(),
                    room.occupantIdSalt(), room.maker() == null ? null : room.maker().toString());
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
        jdbc.write("delete room", c -> {
            Jdbc.update(c, "DELETE FROM muc_occupants WHERE room = ?", room.toString());
            return Jdbc.update(c, "DELETE FROM muc_rooms WHERE room = ?", room.toString());
        });
    }

    @Override
    public List<StoredRoom> all() {
        return read(null);
    }

    @Override
    public Optional<StoredRoom> load(Jid room) {
        return read(room).stream().findFirst();
    }

    /** Every room, or the one named. */
    private List<StoredRoom> read(Jid only) {
        String where = only == null ? "" : " WHERE room = ?";
        Object[] args = only == null ? new Object[0] : new Object[] {only.toString()};
        return jdbc.read("read rooms", c -> {
            Map<String, Map<Jid, Affiliation>> affiliations = new HashMap<>();
            Map<String, Map<Jid, String>> nicks = new HashMap<>();
            try (PreparedStatement ps = prepared(c, "SELECT room, jid, affiliation, nick FROM muc_affiliations" + where, args);
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
            try (PreparedStatement ps = prepared(c,
                    "SELECT room, config, subject, subject_by, occupant_salt, maker FROM muc_rooms" + where, args);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Jid room = Jid.parseOrNull(rs.getString(1));
                    if (room != null) {
                        String by = rs.getString(4);
                        String maker = rs.getString(6);
                        out.add(new StoredRoom(room, rs.getString(2), rs.getString(3),
                                by == null ? null : Jid.parseOrNull(by),
                                affiliations.getOrDefault(rs.getString(1), Map.of()),
                                nicks.getOrDefault(rs.getString(1), Map.of()), rs.getString(5),
                                maker == null ? null : Jid.parseOrNull(maker)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public int madeBy(Jid user) {
        return jdbc.read("count rooms made", c -> {
            try (PreparedStatement ps = prepared(c, "SELECT COUNT(*) FROM muc_rooms WHERE maker = ?",
                    new Object[] {user.bare().toString()});
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }

    @Override
    public List<StoredOccupant> occupants(Jid room) {
        return jdbc.read("read occupants", c -> {
            List<StoredOccupant> out = new ArrayList<>();
            try (PreparedStatement ps = prepared(c, "SELECT session, nick, role, presence FROM muc_occupants"
                    + " WHERE room = ? ORDER BY joined", new Object[] {room.toString()});
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Jid session = Jid.parseOrNull(rs.getString(1));
                    Role role = Role.parse(rs.getString(3));
                    if (session != null && session.resource() != null && role != null) {
                        out.add(new StoredOccupant(session, rs.getString(2), role, rs.getString(4)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void occupants(Jid room, List<StoredOccupant> changed, List<Jid> left) {
        String key = room.toString();
        jdbc.write("write occupants", c -> {
            for (Jid session : left) {
                Jdbc.update(c, "DELETE FROM muc_occupants WHERE room = ? AND session = ?", key, session.toString());
            }
            for (StoredOccupant o : changed) {
                Jdbc.update(c, "INSERT INTO muc_occupants (room, session, nick, role, presence, joined)"
                                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (room, session) DO UPDATE SET"
                                + " nick = excluded.nick, role = excluded.role, presence = excluded.presence",
                        key, o.session().toString(), o.nick(), o.role().xmlValue(), o.presence(), joined.updateAndGet(v -> Math.max(v + 1, System.currentTimeMillis() * 1000)));
            }
            return null;
        });
    }

    private static PreparedStatement prepared(Connection c, String sql, Object[] args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }
}
