package org.parley.feature.register;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;
import org.parley.store.sql.Database;
import org.parley.store.sql.Jdbc;

/** {@link InviteStore} on the server's database (table {@code invites}, this feature's V1). */
public final class SqlInviteStore implements InviteStore {
    private final Jdbc jdbc;
    private final Database database;

    public SqlInviteStore(Database database) {
        this.database = database;
        this.jdbc = database.jdbc();
    }

    @Override
    public void add(Invite invite) {
        jdbc.write("add invitation", c -> Jdbc.update(c,
                "INSERT INTO invites (token, inviter, created_at, expires_at) VALUES (?, ?, ?, ?)",
                invite.token(), invite.inviter(), database.clock().millis(), invite.expires().toEpochMilli()));
    }

    @Override
    public Optional<Invite> valid(String token, Instant now) {
        return jdbc.read("read invitation", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT inviter, expires_at FROM invites WHERE token = ? AND expires_at > ?")) {
                ps.setString(1, token);
                ps.setLong(2, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Invite(token, rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean use(String token) {
        return jdbc.write("use invitation", c -> Jdbc.update(c, "DELETE FROM invites WHERE token = ?", token)) == 1;
    }
}
