package org.parley.feature.privatexml;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import org.parley.store.sql.Database;
import org.parley.store.sql.Jdbc;

public final class SqlPrivateStore implements PrivateStore {

    private final Jdbc jdbc;

    public SqlPrivateStore(Database database) {
        this.jdbc = database.jdbc();
    }

    @Override
    public Optional<String> get(String owner, String namespace, String element) {
        return jdbc.read("read private data", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT payload FROM private_storage WHERE owner = ? AND namespace = ? AND element = ?")) {
                ps.setString(1, owner);
                ps.setString(2, namespace);
                ps.setString(3, element);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean put(String owner, List<Fragment> fragments, long maxTotalBytes) {
        return jdbc.write("store private data", c -> {
            // The account lock makes the quota check and the writes one step against concurrent sets.
            jdbc.lockAccount(c, owner);
            long total = 0;
            for (Fragment f : fragments) {
                total += bytes(f);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT namespace, element, bytes FROM private_storage WHERE owner = ?")) {
                ps.setString(1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String namespace = rs.getString(1);
                        String element = rs.getString(2);
                        if (fragments.stream().noneMatch(f -> f.namespace().equals(namespace) && f.element().equals(element))) {
                            total += rs.getLong(3); // kept as it is
                        }
                    }
                }
            }
            if (total > maxTotalBytes) {
                return false;
            }
            for (Fragment f : fragments) {
                Jdbc.update(c, "INSERT INTO private_storage (owner, namespace, element, payload, bytes)"
                                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (owner, namespace, element)"
                                + " DO UPDATE SET payload = excluded.payload, bytes = excluded.bytes",
                        owner, f.namespace(), f.element(), f.xml(), bytes(f));
            }
            return true;
        });
    }

    private static long bytes(Fragment f) {
        return f.xml().getBytes(StandardCharsets.UTF_8).length;
    }
}
