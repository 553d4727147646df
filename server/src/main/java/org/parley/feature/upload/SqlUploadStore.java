package org.parley.feature.upload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.store.sql.Database;
import org.parley.store.sql.Jdbc;

/** {@link UploadStore} on the server's database ({@code db/upload}). */
public final class SqlUploadStore implements UploadStore {
    private static final String COLUMNS = "id, owner, name, size, content_type, created_at, uploaded_at";

    private final Jdbc jdbc;

    public SqlUploadStore(Database database) {
        this.jdbc = database.jdbc();
    }

    @Override
    public boolean add(Upload slot, long quotaBytes) {
        return jdbc.write("record an upload slot", c -> {
            // The account's lock serialises one user's slot requests, so two cannot both fit the quota.
            if (!jdbc.lockAccountIfExists(c, slot.owner())) {
                return false;
            }
            if (used(c, slot.owner()) + slot.size() > quotaBytes) {
                return false;
            }
            Jdbc.update(c, "INSERT INTO upload_files (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, NULL)", slot.id(),
                    slot.owner(), slot.name(), slot.size(), slot.contentType(), slot.createdAt().toEpochMilli());
            return true;
        });
    }

    private static long used(Connection c, String owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(size), 0) FROM upload_files WHERE owner = ?")) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public Optional<Upload> get(String id) {
        return jdbc.read("read an upload", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM upload_files WHERE id = ?")) {
                ps.setString(1, id);
                List<Upload> found = uploads(ps);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
            }
        });
    }

    private static List<Upload> uploads(PreparedStatement ps) throws SQLException {
        List<Upload> found = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long uploaded = rs.getLong(7);
                Instant uploadedAt = rs.wasNull() ? null : Instant.ofEpochMilli(uploaded);
                found.add(new Upload(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)), uploadedAt));
            }
        }
        return found;
    }

    @Override
    public boolean markUploaded(String id, Instant at) {
        return jdbc.write("mark an upload complete", c -> Jdbc.update(c,
                "UPDATE upload_files SET uploaded_at = ? WHERE id = ? AND uploaded_at IS NULL", at.toEpochMilli(), id) == 1);
    }

    @Override
    public void remove(String id) {
        jdbc.write("remove an upload", c -> Jdbc.update(c, "DELETE FROM upload_files WHERE id = ?", id));
    }

    @Override
    public List<Upload> unused(Instant createdBefore, int limit) {
        return jdbc.read("find unused upload slots", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM upload_files WHERE uploaded_at IS NULL AND created_at < ? LIMIT ?")) {
                ps.setLong(1, createdBefore.toEpochMilli());
                ps.setInt(2, limit);
                return uploads(ps);
            }
        });
    }

    @Override
    public List<String> uploadedBefore(Instant uploadedBefore, int limit) {
        return jdbc.read("find expired uploads", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM upload_files"
                    + " WHERE uploaded_at IS NOT NULL AND uploaded_at < ? LIMIT ?")) {
                ps.setLong(1, uploadedBefore.toEpochMilli());
                ps.setInt(2, limit);
                return ids(ps);
            }
        });
    }

    @Override
    public List<String> orphans(int limit) {
        return jdbc.read("find removed accounts' uploads", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM upload_orphans LIMIT ?")) {
                ps.setInt(1, limit);
                return ids(ps);
            }
        });
    }

    @Override
    public void forgetOrphan(String id) {
        jdbc.write("forget a removed account's upload", c -> Jdbc.update(c, "DELETE FROM upload_orphans WHERE id = ?", id));
    }

    /** In the account's removing transaction: records files whose bytes are still to be deleted. */
    static void addOrphans(Connection c, List<String> ids) throws SQLException {
        for (String id : ids) {
            Jdbc.update(c, "INSERT INTO upload_orphans (id) VALUES (?)", id);
        }
    }

    /** In the account's removing transaction: forgets the owner's uploads and returns their ids. */
    static List<String> removeOwner(Connection c, String owner) throws SQLException {
        List<String> ids;
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM upload_files WHERE owner = ?")) {
            ps.setString(1, owner);
            ids = ids(ps);
        }
        Jdbc.update(c, "DELETE FROM upload_files WHERE owner = ?", owner);
        return ids;
    }

    private static List<String> ids(PreparedStatement ps) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
