package org.parley.feature.muc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.parley.store.sql.Database;
import org.parley.store.sql.Jdbc;
import org.parley.xmpp.Jid;

/** {@link MucPushStore} on the server's database (table {@code muc_push} of {@code db/muc}). */
public final class SqlMucPushStore implements MucPushStore {
    private final Jdbc jdbc;

    public SqlMucPushStore(Database database) {
        this.jdbc = database.jdbc();
    }

    @Override
    public void save(Stored p) {
        jdbc.write("save room push preference", c -> Jdbc.update(c,
                "INSERT INTO muc_push (room, jid, notify, nick) VALUES (?, ?, ?, ?) ON CONFLICT (room, jid)"
                        + " DO UPDATE SET notify = excluded.notify, nick = excluded.nick",
                p.room().toString(), p.user().toString(), p.when().xmlValue(), p.nick()));
    }

    @Override
    public void delete(Jid room, Jid user) {
        jdbc.write("delete room push preference", c -> Jdbc.update(c,
                "DELETE FROM muc_push WHERE room = ? AND jid = ?", room.toString(), user.toString()));
    }

    @Override
    public void deleteRoom(Jid room) {
        jdbc.write("delete room push preferences", c -> Jdbc.update(c,
                "DELETE FROM muc_push WHERE room = ?", room.toString()));
    }

    @Override
    public List<Stored> all() {
        return jdbc.read("read room push preferences", c -> {
            List<Stored> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT room, jid, notify, nick FROM muc_push");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Jid room = Jid.parseOrNull(rs.getString(1));
                    Jid user = Jid.parseOrNull(rs.getString(2));
                    RoomPush.When when = RoomPush.When.parse(rs.getString(3));
                    if (room != null && user != null && when != null && when != RoomPush.When.NEVER) {
                        out.add(new Stored(room, user, when, rs.getString(4)));
                    }
                }
            }
            return out;
        });
    }
}
