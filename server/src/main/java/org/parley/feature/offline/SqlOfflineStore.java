package org.parley.feature.offline;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.parley.store.sql.Database;
import org.parley.store.sql.Jdbc;

public final class SqlOfflineStore implements OfflineStore {

    private final Jdbc jdbc;
    private final Clock clock;

    public SqlOfflineStore(Database database) {
        this.jdbc = database.jdbc();
        this.clock = database.clock();
    }

    @Override
    public OfflineResult store(String owner, String stanzaXml, int maxPerUser) {
        return storeOnce(owner, stanzaXml, maxPerUser, null);
    }

    @Override
    public OfflineResult storeOnce(String owner, String stanzaXml, int maxPerUser, String marker) {
        return jdbc.write("store offline message", c -> {
            // Holding the owner's account for the whole transaction makes count-then-insert atomic
            // and hands out ids in commit order for this owner: strict FIFO.
            jdbc.lockAccount(c, owner);
            if (marker != null && contains(c, owner, marker)) {
                return OfflineResult.STORED;
            }
            if (count(c, owner) >= maxPerUser) {
                return OfflineResult.QUOTA_EXCEEDED;
            }
            Jdbc.update(c, "INSERT INTO offline (owner, stanza, stored_at) VALUES (?, ?, ?)",
                    owner, stanzaXml, clock.millis());
            return OfflineResult.STORED;
        });
    }

    @Override
    public List<OfflineMessage> fetch(String owner, int limit) {
        return jdbc.read("read offline messages", c -> {
            List<OfflineMessage> result = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, stanza, stored_at FROM offline WHERE owner = ? ORDER BY id LIMIT ?")) {
                ps.setString(1, owner);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(new OfflineMessage(rs.getLong(1), rs.getString(2),
                                Instant.ofEpochMilli(rs.getLong(3))));
                    }
                }
            }
            return List.copyOf(result);
        });
    }

    @Override
    public void delete(String owner, long upToIdInclusive) {
        jdbc.write("delete offline messages", c ->
                Jdbc.update(c, "DELETE FROM offline WHERE owner = ? AND id <= ?", owner, upToIdInclusive));
    }

    @Override
    public int count(String owner) {
        return jdbc.read("count offline messages", c -> count(c, owner));
    }

    @Override
    public void markUnseen(String owner, long storedSince) {
        jdbc.write("mark offline messages unseen", c -> Jdbc.update(c,
                "UPDATE offline SET unseen = 1 WHERE owner = ? AND unseen = 0 AND stored_at >= ?", owner, storedSince));
    }

    @Override
    public List<String> unseenOwners(int limit) {
        return jdbc.read("find unseen offline messages", c -> {
            List<String> owners = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT DISTINCT owner FROM offline WHERE unseen = 1 LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        owners.add(rs.getString(1));
                    }
                }
            }
            return List.copyOf(owners);
        });
    }

    @Override
    public void clearUnseen(String owner, long storedBefore) {
        jdbc.write("clear unseen offline messages", c -> Jdbc.update(c,
                "UPDATE offline SET unseen = 0 WHERE owner = ? AND unseen = 1 AND stored_at < ?", owner, storedBefore));
    }

    private static boolean contains(java.sql.Connection c, String owner, String marker) throws java.sql.SQLException {
        String escaped = marker.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM offline WHERE owner = ? AND stanza LIKE ? ESCAPE '\\' LIMIT 1")) {
            ps.setString(1, owner);
            ps.setString(2, "%" + escaped + "%");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static int count(java.sql.Connection c, String owner) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM offline WHERE owner = ?")) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
