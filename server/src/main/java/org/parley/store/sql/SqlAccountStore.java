package org.parley.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.auth.ScramCredentials;
import org.parley.store.AccountStore;

final class SqlAccountStore implements AccountStore {

    private final Database database;
    private final Jdbc jdbc;
    private final Clock clock;

    SqlAccountStore(Database database) {
        this.database = database;
        this.jdbc = database.jdbc();
        this.clock = database.clock();
    }

    @Override
    public boolean create(String username, List<ScramCredentials> credentials) {
        return jdbc.write("create account", c -> {
            int inserted = Jdbc.update(c,
                    "INSERT INTO accounts (username, created) VALUES (?, ?) ON CONFLICT (username) DO NOTHING",
                    username, clock.millis());
            if (inserted == 0) {
                return false;
            }
            insertCredentials(c, username, credentials);
            return true;
        });
    }

    @Override
    public boolean exists(String username) {
        return jdbc.read("look up account", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM accounts WHERE username = ?")) {
                ps.setString(1, username);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public Optional<ScramCredentials> credentials(String username, String algorithm) {
        return jdbc.read("read credentials", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT salt, iterations, stored_key, server_key FROM credentials WHERE username = ? AND algorithm = ?")) {
                ps.setString(1, username);
                ps.setString(2, algorithm);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new ScramCredentials(algorithm, rs.getBytes(1), rs.getInt(2),
                            rs.getBytes(3), rs.getBytes(4)));
                }
            }
        });
    }

    @Override
    public boolean setCredentials(String username, List<ScramCredentials> credentials) {
        return jdbc.write("replace credentials", c -> {
            if (!jdbc.lockAccountIfExists(c, username)) {
                return false;
            }
            Jdbc.update(c, "DELETE FROM credentials WHERE username = ?", username);
            insertCredentials(c, username, credentials);
            return true;
        });
    }

    @Override
    public boolean delete(String username) {
        return jdbc.write("delete account", c -> {
            if (!jdbc.lockAccountIfExists(c, username)) {
                return false;
            }
            for (AccountRemoval removal : database.accountRemovals()) {
                removal.remove(c, username);
            }
            // Everything that references the account row goes with it (ON DELETE CASCADE, and the
            // archive's trigger): credentials, roster, and the rows of every feature's tables.
            return Jdbc.update(c, "DELETE FROM accounts WHERE username = ?", username) > 0;
        });
    }

    @Override
    public List<String> list() {
        List<String> names = jdbc.read("list accounts", c -> {
            List<String> result = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT username FROM accounts");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
            return result;
        });
        // Sorted here, not by ORDER BY: collations differ between the databases and their locales.
        names.sort(null);
        return List.copyOf(names);
    }

    @Override
    public long count() {
        return jdbc.read("count accounts", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM accounts");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static void insertCredentials(Connection c, String username, List<ScramCredentials> credentials)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO credentials"
                + " (username, algorithm, salt, iterations, stored_key, server_key) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (ScramCredentials cred : credentials) {
                ps.setString(1, username);
                ps.setString(2, cred.algorithm());
                ps.setBytes(3, cred.salt());
                ps.setInt(4, cred.iterations());
                ps.setBytes(5, cred.storedKey());
                ps.setBytes(6, cred.serverKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
