package org.parley.feature.admin;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.parley.store.sql.Database;
import org.parley.store.sql.Jdbc;

/** The accounts an administrator disabled (XEP-0133 disable-user), in this feature's own table. */
final class DisabledAccounts {
    private final Jdbc jdbc;
    private final Database database;

    DisabledAccounts(Database database) {
        this.database = database;
        this.jdbc = database.jdbc();
    }

    /** Disables the account; false when there is no such account. */
    boolean disable(String username) {
        return jdbc.write("disable account", c -> {
            if (!jdbc.lockAccountIfExists(c, username)) {
                return false;
            }
            Jdbc.update(c, "INSERT INTO disabled_accounts (username, at) VALUES (?, ?) ON CONFLICT (username) DO NOTHING",
                    username, database.clock().millis());
            return true;
        });
    }

    void enable(String username) {
        jdbc.write("re-enable account", c -> Jdbc.update(c, "DELETE FROM disabled_accounts WHERE username = ?", username));
    }

    boolean disabled(String username) {
        return jdbc.read("read disabled account", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM disabled_accounts WHERE username = ?")) {
                ps.setString(1, username);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }
}
