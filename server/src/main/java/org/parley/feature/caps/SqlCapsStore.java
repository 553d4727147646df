package org.parley.feature.caps;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import org.parley.store.sql.Database;
import org.parley.store.sql.Jdbc;

public final class SqlCapsStore implements CapsStore {

    private final Jdbc jdbc;

    public SqlCapsStore(Database database) {
        this.jdbc = database.jdbc();
    }

    @Override
    public Optional<List<String>> features(String hash, String ver) {
        return jdbc.read("read caps", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT features FROM caps WHERE hash = ? AND ver = ?")) {
                ps.setString(1, hash);
                ps.setString(2, ver);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String text = rs.getString(1);
                    return Optional.of(text.isEmpty() ? List.of() : List.of(text.split("\n")));
                }
            }
        });
    }

    @Override
    public void put(String hash, String ver, List<String> features) {
        jdbc.write("store caps", c -> Jdbc.update(c, "INSERT INTO caps (hash, ver, features) VALUES (?, ?, ?)"
                + " ON CONFLICT (hash, ver) DO NOTHING", hash, ver, String.join("\n", features)));
    }
}
