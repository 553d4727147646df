package org.parley.feature.push;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.parley.store.sql.Database;
import org.parley.store.sql.Jdbc;

public final class SqlPushStore implements PushStore {

    private final Jdbc jdbc;
    private final Clock clock;

    public SqlPushStore(Database database) {
        this.jdbc = database.jdbc();
        this.clock = database.clock();
    }

    @Override
    public boolean enable(String owner, PushRegistration r, int max) {
        return jdbc.write("enable push", c -> {
            // The account row lock makes count-then-insert atomic against a concurrent enable.
            jdbc.lockAccount(c, owner);
            if (!exists(c, owner, r) && count(c, owner) >= max) {
                return false;
            }
            Jdbc.update(c, "INSERT INTO push_registrations (owner, jid, node, form, created) VALUES (?, ?, ?, ?, ?)"
                            + " ON CONFLICT (owner, jid, node) DO UPDATE SET form = excluded.form",
                    owner, r.jid(), r.node(), r.publishOptionsXml(), clock.millis());
            return true;
        });
    }

    @Override
    public int disable(String owner, String jid, String node) {
        return jdbc.write("disable push", c -> node == null
                ? Jdbc.update(c, "DELETE FROM push_registrations WHERE owner = ? AND jid = ?", owner, jid)
                : Jdbc.update(c, "DELETE FROM push_registrations WHERE owner = ? AND jid = ? AND node = ?",
                        owner, jid, node));
    }

    @Override
    public List<PushRegistration> list(String owner) {
        return jdbc.read("read push registrations", c -> {
            List<PushRegistration> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT jid, node, form FROM push_registrations WHERE owner = ? ORDER BY created, jid, node")) {
                ps.setString(1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new PushRegistration(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return List.copyOf(out);
        });
    }

    private static boolean exists(Connection c, String owner, PushRegistration r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM push_registrations WHERE owner = ? AND jid = ? AND node = ?")) {
            ps.setString(1, owner);
            ps.setString(2, r.jid());
            ps.setString(3, r.node());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static int count(Connection c, String owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM push_registrations WHERE owner = ?")) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
