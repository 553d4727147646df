package org.parley.feature.last;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.parley.store.sql.Database;
import org.parley.store.sql.Jdbc;

public final class SqlLastActivityStore implements LastActivityStore {

    private final Jdbc jdbc;

    public SqlLastActivityStore(Database database) {
        this.jdbc = database.jdbc();
    }

    @Override
    public void put(String owner, LastActivity activity) {
        jdbc.write("store last activity", c -> {
            // A logout racing the account's removal must not fail: there is nobody left to ask about.
            if (!jdbc.lockAccountIfExists(c, owner)) {
                return null;
            }
            Jdbc.update(c, "INSERT INTO last_activity (owner, at, status) VALUES (?, ?, ?)"
                            + " ON CONFLICT (owner) DO UPDATE SET at = excluded.at, status = excluded.status",
                    owner, activity.at().toEpochMilli(), activity.status());
            return null;
        });
    }

    /** One transaction; each account locked in the map's order (sorted by its writer), as {@link #put} does. */
    @Override
    public void putAll(Map<String, LastActivity> logouts) {
        if (logouts.isEmpty()) {
            return;
        }
        jdbc.write("store last activity of " + logouts.size() + " users", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO last_activity (owner, at, status) VALUES (?, ?, ?)"
                    + " ON CONFLICT (owner) DO UPDATE SET at = excluded.at, status = excluded.status")) {
                int rows = 0;
                for (Map.Entry<String, LastActivity> e : logouts.entrySet()) {
                    if (!jdbc.lockAccountIfExists(c, e.getKey())) {
                        continue; // removed meanwhile: nobody left to ask about
                    }
                    ps.setString(1, e.getKey());
                    ps.setLong(2, e.getValue().at().toEpochMilli());
                    ps.setString(3, e.getValue().status());
                    ps.addBatch();
                    rows++;
                }
                if (rows > 0) {
                    ps.executeBatch();
                }
            }
            return null;
        });
    }

    @Override
    public Optional<LastActivity> get(String owner) {
        return jdbc.read("read last activity", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT at, status FROM last_activity WHERE owner = ?")) {
                ps.setString(1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new LastActivity(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2)))
                            : Optional.empty();
                }
            }
        });
    }
}
