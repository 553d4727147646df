package org.parley.store.sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import org.parley.store.VCardStore;

final class SqlVCardStore implements VCardStore {

    private final Jdbc jdbc;

    SqlVCardStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<String> get(String owner) {
        return jdbc.read("read vCard", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT xml FROM vcards WHERE owner = ?")) {
                ps.setString(1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void put(String owner, String vcardXml) {
        jdbc.write("store vCard", c -> {
            jdbc.lockAccount(c, owner);
            return Jdbc.update(c, "INSERT INTO vcards (owner, xml) VALUES (?, ?)"
                    + " ON CONFLICT (owner) DO UPDATE SET xml = excluded.xml", owner, vcardXml);
        });
    }

    @Override
    public boolean delete(String owner) {
        return jdbc.write("delete vCard",
                c -> Jdbc.update(c, "DELETE FROM vcards WHERE owner = ?", owner) > 0);
    }
}
