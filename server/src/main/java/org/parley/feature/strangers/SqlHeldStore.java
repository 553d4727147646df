package org.parley.feature.strangers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import org.parley.store.sql.Database;
import org.parley.store.sql.Jdbc;

public final class SqlHeldStore implements HeldStore {

    private final Jdbc jdbc;

    public SqlHeldStore(Database database) {
        this.jdbc = database.jdbc();
    }

    @Override
    public boolean hold(String owner, String sender, String stanzaXml, int maxPerUser, Instant now) {
        return jdbc.write("hold a stranger's message", c -> {
            // The owner's account lock makes count-then-insert one step against concurrent senders.
            jdbc.lockAccount(c, owner);
            if (count(c, owner) >= maxPerUser) {
                return false;
            }
            Jdbc.update(c, "INSERT INTO held_messages (owner, sender, stanza, held_at) VALUES (?, ?, ?, ?)",
                    owner, sender, stanzaXml, now.toEpochMilli());
            return true;
        });
    }

    @Override
    public List<Sender> senders(String owner) {
        return jdbc.read("read held messages", c -> {
            List<Sender> senders = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT sender, COUNT(*), MAX(held_at), MIN(id)"
                    + " FROM held_messages WHERE owner = ? GROUP BY sender ORDER BY MIN(id)")) {
                ps.setString(1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        senders.add(new Sender(rs.getString(1), rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3))));
                    }
                }
            }
            return senders;
        });
    }

    @Override
    public List<Held> take(String owner, Collection<String> senders) {
        if (senders.isEmpty()) {
            return List.of();
        }
        return jdbc.write("take held messages", c -> {
            jdbc.lockAccount(c, owner); // a message held meanwhile is either taken or kept, never deleted unseen
            List<Held> taken = new ArrayList<>();
            for (String sender : new LinkedHashSet<>(senders)) {
                try (PreparedStatement ps = c.prepareStatement("SELECT id, stanza, held_at FROM held_messages"
                        + " WHERE owner = ? AND sender = ? ORDER BY id")) {
                    ps.setString(1, owner);
                    ps.setString(2, sender);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            taken.add(new Held(rs.getLong(1), sender, rs.getString(2),
                                    Instant.ofEpochMilli(rs.getLong(3))));
                        }
                    }
                }
                Jdbc.update(c, "DELETE FROM held_messages WHERE owner = ? AND sender = ?", owner, sender);
            }
            taken.sort((a, b) -> Long.compare(a.id(), b.id()));
            return taken;
        });
    }

    @Override
    public int purge(Instant cutoff) {
        return jdbc.write("purge held messages", c ->
                Jdbc.update(c, "DELETE FROM held_messages WHERE held_at < ?", cutoff.toEpochMilli()));
    }

    private static int count(Connection c, String owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM held_messages WHERE owner = ?")) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
