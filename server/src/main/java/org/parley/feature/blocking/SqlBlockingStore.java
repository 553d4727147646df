package org.parley.feature.blocking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.parley.store.sql.Database;
import org.parley.store.sql.Jdbc;

public final class SqlBlockingStore implements BlockingStore {

    private final Jdbc jdbc;

    public SqlBlockingStore(Database database) {
        this.jdbc = database.jdbc();
    }

    @Override
    public List<String> blocked(String owner) {
        return jdbc.read("read block list", c -> list(c, owner));
    }

    private static List<String> list(Connection c, String owner) throws SQLException {
        List<String> jids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT jid FROM blocklist WHERE owner = ?")) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jids.add(rs.getString(1));
                }
            }
        }
        // Sorted here, not by ORDER BY: collations differ between the databases.
        jids.sort(null);
        return List.copyOf(jids);
    }

    @Override
    public boolean block(String owner, Collection<String> jids, int maxItems) {
        return jdbc.write("block", c -> {
            // The account lock makes the count and the inserts one step against concurrent blocks.
            jdbc.lockAccount(c, owner);
            Set<String> all = new LinkedHashSet<>(list(c, owner));
            all.addAll(jids);
            if (all.size() > maxItems) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO blocklist (owner, jid) VALUES (?, ?) ON CONFLICT (owner, jid) DO NOTHING")) {
                for (String jid : new LinkedHashSet<>(jids)) {
                    ps.setString(1, owner);
                    ps.setString(2, jid);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return true;
        });
    }

    @Override
    public void unblock(String owner, Collection<String> jids) {
        jdbc.write("unblock", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM blocklist WHERE owner = ? AND jid = ?")) {
                for (String jid : jids) {
                    ps.setString(1, owner);
                    ps.setString(2, jid);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<String> unblockAll(String owner) {
        return jdbc.write("unblock all", c -> {
            List<String> was = list(c, owner);
            Jdbc.update(c, "DELETE FROM blocklist WHERE owner = ?", owner);
            return was;
        });
    }
}
