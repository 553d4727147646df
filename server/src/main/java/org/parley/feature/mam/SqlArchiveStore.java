package org.parley.feature.mam;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.parley.store.sql.Database;
import org.parley.store.sql.Dialect;
import org.parley.store.sql.Jdbc;

/**
 * The archive on SQLite and PostgreSQL. A row belongs to up to two archives (sender, recipient),
 * each with its own index on (owner, id); an owner's page is read as one range scan per side,
 * merged here. Full text: FTS5 on SQLite, a GIN expression index on PostgreSQL. One conversation
 * ("with" a contact): on SQLite the {@code archive_conversation} table, filled by the writer's
 * deferred work ({@link #indexPending}), plus the rows above its mark; on PostgreSQL an index per side.
 */
public final class SqlArchiveStore implements ArchiveStore {
    private static final String COLUMNS =
            "id, sender, recipient, from_jid, from_resource, to_jid, to_resource, body, stanza";
    /**
     * How many slices of deferred work the conversation table's stage holds: each slice then
     * moves into a fifth of the table's key range, writing about a fifth of the leaves a slice
     * straight from the archive wrote.
     */
    static final int STAGE_SLICES = 5;
    /** Rows bound per JDBC batch within one append. */
    private static final int BIND_PART = 256;

    private final Jdbc jdbc;
    private final Dialect dialect;

    public SqlArchiveStore(Database database) {
        this.jdbc = database.jdbc();
        this.dialect = database.dialect();
    }

    @Override
    public void append(List<ArchiveRecord> batch) {
        if (batch.isEmpty()) {
            return;
        }
        jdbc.write("archive messages", c -> {
            long[] withBody = new long[batch.size()];
            int bodies = 0;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO archive (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int bound = 0;
                for (ArchiveRecord r : batch) {
                    ps.setLong(1, r.id());
                    setText(ps, 2, r.sender());
                    // A message to oneself is kept on the sent side only: no side holds a row
                    // twice, so counts stay index-only (no row lookups to exclude duplicates).
                    setText(ps, 3, r.recipient() != null && r.recipient().equals(r.sender()) ? null : r.recipient());
                    ps.setString(4, r.fromJid());
                    setText(ps, 5, r.fromResource());
                    ps.setString(6, r.toJid());
                    setText(ps, 7, r.toResource());
                    setText(ps, 8, r.body());
                    ps.setString(9, r.stanza());
                    ps.addBatch();
                    if (r.body() != null) {
                        withBody[bodies++] = r.id();
                    }
                    // A JDBC batch keeps every row's values until it runs: in parts, the texts of
                    // a large transaction do not all live at once on the heap (QueuedRow).
                    if (++bound == BIND_PART) {
                        ps.executeBatch();
                        bound = 0;
                    }
                }
                if (bound > 0) {
                    ps.executeBatch();
                }
            }
            if (dialect == Dialect.SQLITE) {
                notePending(c, withBody, bodies);
            }
            return null;
        });
    }

    /**
     * Notes the rows with a body for the deferred full-text index (see {@link #indexPending}).
     * Written here rather than by a trigger: an INSERT that fires a trigger writes two tables, so
     * SQLite gives it a statement journal, a copy of every page it touches made before the change,
     * and inside a group commit of thousands of rows that was a temporary file written for every
     * row (the archive's largest write cost). Single-row INSERTs without triggers need none.
     */
    private static void notePending(Connection c, long[] ids, int n) throws SQLException {
        if (n == 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO archive_fts_pending (id) VALUES (?)")) {
            for (int i = 0; i < n; i++) {
                ps.setLong(1, ids[i]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public int indexPending(int maxRows) {
        if (dialect != Dialect.SQLITE) {
            return 0; // PostgreSQL's indexes are maintained as rows come, its GIN pending list defers the text
        }
        return Math.max(indexConversations(maxRows), indexText(maxRows));
    }

    /**
     * One step of the conversation table's deferred work (db/mam/sqlite/V5): when nothing is
     * staged, sorts the oldest rows above {@code archive_conversation_mark}, up to
     * {@value #STAGE_SLICES} times {@code maxRows}, into {@code archive_conversation_staged}; then
     * moves the first {@code maxRows} staged entries, a key range, into the table, and the mark
     * once the stage is empty. Each is its own transaction, so the writer's commits go on between
     * them. Returns the entries moved, or {@code maxRows} while staged entries remain (more to do).
     * {@code OR IGNORE}: a stage left by a crash may hold entries already moved, and it spares the
     * statement journal a multi-row INSERT that may abort would keep.
     */
    private int indexConversations(int maxRows) {
        int stage = (int) Math.min(Integer.MAX_VALUE, (long) STAGE_SLICES * maxRows);
        jdbc.write("stage archive conversations", c -> {
            Long[] marks = row(c, "SELECT last_id, staged_to FROM archive_conversation_mark");
            if (marks[1] != null) {
                return null; // a stage is being moved
            }
            long mark = marks[0];
            Long[] slice = row(c, "SELECT max(id), count(id) FROM (SELECT id FROM archive WHERE id > ? ORDER BY id LIMIT ?)",
                    mark, stage);
            long upTo = slice[0] == null ? 0 : slice[0];
            long n = slice[1];
            if (n > 0) {
                Jdbc.update(c, "INSERT INTO archive_conversation_staged (low, high, id) "
                        + "SELECT min(from_jid, to_jid), max(from_jid, to_jid), id FROM archive "
                        + "WHERE id > ? AND id <= ? ORDER BY 1, 2, 3", mark, upTo);
                Jdbc.update(c, "UPDATE archive_conversation_mark SET staged_to = ?", upTo);
            }
            return null;
        });
        return jdbc.write("index archive conversations", c -> {
            Long[] staged = row(c, "SELECT min(seq), max(seq) FROM archive_conversation_staged");
            if (staged[0] == null) {
                return 0;
            }
            long first = staged[0];
            long last = staged[1];
            long end = first + Math.min(maxRows, last - first + 1) - 1;
            Jdbc.update(c, "INSERT OR IGNORE INTO archive_conversation (low, high, id) "
                    + "SELECT low, high, id FROM archive_conversation_staged WHERE seq <= ? ORDER BY seq", end);
            Jdbc.update(c, "DELETE FROM archive_conversation_staged WHERE seq <= ?", end);
            if (end < last) {
                return maxRows;
            }
            Jdbc.update(c, "UPDATE archive_conversation_mark SET last_id = staged_to, staged_to = NULL");
            return (int) (end - first + 1);
        });
    }

    /** The full-text part of {@link #indexPending}: at most {@code maxRows} noted rows, the oldest first. */
    private int indexText(int maxRows) {
        // A read first: a query and its count both come here, and a write transaction would take
        // the database's one write lock from the archive writer even when nothing is pending.
        Long[] slice = jdbc.read("check archive text", c -> row(c,
                "SELECT max(id), count(*) FROM (SELECT id FROM archive_fts_pending ORDER BY id LIMIT ?)", maxRows));
        if (slice[1] == 0) {
            return 0;
        }
        // Another caller may have indexed these meanwhile: then the join finds none of them.
        jdbc.write("index archive text", c -> {
            Jdbc.update(c, "INSERT INTO archive_fts (rowid, body) SELECT a.id, a.body FROM archive_fts_pending p "
                    + "JOIN archive a ON a.id = p.id WHERE p.id <= ? ORDER BY p.id", slice[0]);
            return Jdbc.update(c, "DELETE FROM archive_fts_pending WHERE id <= ?", slice[0]);
        });
        return slice[1].intValue();
    }

    @Override
    public List<ArchiveRecord> query(ArchiveQuery q) {
        if (q.fulltext() != null && dialect == Dialect.SQLITE) {
            indexText(Integer.MAX_VALUE);
        }
        return jdbc.read("read archive", c -> {
            // One range scan per side of the archive, each already in order and limited; the
            // merge keeps the first 'limit' of both.
            List<ArchiveRecord> sent = side(c, q, true);
            List<ArchiveRecord> received = side(c, q, false);
            List<ArchiveRecord> merged = new ArrayList<>(Math.min(q.limit(), sent.size() + received.size()));
            int i = 0;
            int j = 0;
            while (merged.size() < q.limit() && (i < sent.size() || j < received.size())) {
                ArchiveRecord next;
                if (j >= received.size()) {
                    next = sent.get(i++);
                } else if (i >= sent.size()) {
                    next = received.get(j++);
                } else if ((sent.get(i).id() < received.get(j).id()) != q.backwards()) {
                    next = sent.get(i++); // the sides never share a row: append keeps a note to self on one
                } else {
                    next = received.get(j++);
                }
                merged.add(next);
            }
            return merged;
        });
    }

    private List<ArchiveRecord> side(Connection c, ArchiveQuery q, boolean sent) throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = select(q, sent, COLUMNS, q.limit(), params);
        List<ArchiveRecord> rows = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new ArchiveRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
            }
        }
        return rows;
    }

    @Override
    public long count(ArchiveQuery q, long atMost) {
        if (q.fulltext() != null && dialect == Dialect.SQLITE) {
            indexText(Integer.MAX_VALUE);
        }
        long cap = atMost + 1;
        return jdbc.read("count archive", c -> {
            // Each side stops at cap rows, so a capped count reads at most 2 * cap index entries
            // however large the archive. The sides never share a row, so the sum is exact up to cap.
            List<Object> params = new ArrayList<>();
            String sent = select(q, true, "id", cap, params);
            String received = select(q, false, "id", cap, params);
            String sql = "SELECT (SELECT COUNT(*) FROM (" + sent + ") s) + (SELECT COUNT(*) FROM (" + received + ") r)";
            try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Math.min(rs.getLong(1), cap);
            }
        });
    }

    /**
     * One side's rows in the query's order, at most {@code limit}: {@code SELECT cols}, its
     * parameters added to {@code params}. One conversation on SQLite is two ranges in one
     * statement (one snapshot): the rows the writer has not yet put in {@code archive_conversation}
     * (above its mark) through the owner's side index, which for ids that recent is a short range,
     * and the older ones (up to the mark: a stage being moved may have put later ones there) through
     * the conversation table, each row looked up by id.
     */
    private String select(ArchiveQuery q, boolean sent, String cols, long limit, List<Object> params) {
        String order = " ORDER BY id " + (q.backwards() ? "DESC" : "ASC") + " LIMIT ?";
        String recent = "SELECT " + cols + " FROM archive WHERE " + where(q, sent, params, "", "id", false);
        if (!(dialect == Dialect.SQLITE && q.withJid() != null && q.ownerJid() != null)) {
            params.add(limit);
            return recent + order;
        }
        recent += " AND id > (SELECT last_id FROM archive_conversation_mark)" + order;
        params.add(limit);
        String older = "SELECT " + Arrays.stream(cols.split(", ")).map(col -> "a." + col).collect(Collectors.joining(", "))
                + " FROM archive_conversation c CROSS JOIN archive a ON a.id = c.id WHERE "
                + where(q, sent, params, "a.", "c.id", true)
                + " AND c.id <= (SELECT last_id FROM archive_conversation_mark) ORDER BY c.id " + (q.backwards() ? "DESC" : "ASC")
                + " LIMIT ?";
        params.add(limit);
        params.add(limit);
        return "SELECT * FROM (" + recent + ") n UNION ALL SELECT * FROM (" + older + ") o" + order;
    }

    /**
     * The conditions of one side: its owner column, the id bounds (on {@code ids}), the other end
     * (the pair of {@code archive_conversation c}, or the row's column), the text; the row's
     * columns prefixed with {@code p}.
     */
    private String where(ArchiveQuery q, boolean sent, List<Object> params, String p, String ids, boolean pair) {
        StringBuilder w = new StringBuilder(p).append(sent ? "sender = ?" : "recipient = ?");
        params.add(q.owner());
        if (q.afterId() != Long.MIN_VALUE) {
            w.append(" AND ").append(ids).append(" > ?");
            params.add(q.afterId());
        }
        if (q.beforeId() != Long.MAX_VALUE) {
            w.append(" AND ").append(ids).append(" < ?");
            params.add(q.beforeId());
        }
        if (q.withJid() != null) {
            String other = p + (sent ? "to_" : "from_");
            if (pair) {
                // Within the pair (owner, contact) the owner's column says the owner is this
                // side's end, so the other end is the contact.
                boolean ownerFirst = q.ownerJid().compareTo(q.withJid()) <= 0;
                w.append(" AND c.low = ? AND c.high = ?");
                params.add(ownerFirst ? q.ownerJid() : q.withJid());
                params.add(ownerFirst ? q.withJid() : q.ownerJid());
            } else {
                w.append(" AND ").append(other).append("jid = ?");
                params.add(q.withJid());
            }
            if (q.withResource() != null) {
                w.append(" AND ").append(other).append("resource = ?");
                params.add(q.withResource());
            }
        }
        if (q.fulltext() != null) {
            if (dialect == Dialect.SQLITE) {
                w.append(" AND ").append(p).append("id IN (SELECT rowid FROM archive_fts WHERE archive_fts MATCH ?)");
                params.add(fts5Phrase(q.fulltext()));
            } else {
                w.append(" AND ").append(p).append("body IS NOT NULL AND to_tsvector('simple', ")
                        .append(p).append("body) @@ plainto_tsquery('simple', ?)");
                params.add(q.fulltext());
            }
        }
        return w.toString();
    }

    /** User words as FTS5 string tokens (all must match); FTS5 query syntax is never passed through. */
    static String fts5Phrase(String text) {
        String words = Arrays.stream(text.split("[^\\p{L}\\p{N}]+"))
                .filter(s -> !s.isEmpty())
                .map(s -> "\"" + s + "\"")
                .collect(Collectors.joining(" "));
        return words.isEmpty() ? "\"\"" : words;
    }

    @Override
    public boolean contains(String owner, long id) {
        return jdbc.read("read archive", c -> {
            try (PreparedStatement ps = prepare(c,
                    "SELECT 1 FROM archive WHERE id = ? AND (sender = ? OR recipient = ?)", List.of(id, owner, owner));
                 ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    @Override
    public Optional<ArchivePrefs> prefs(String owner) {
        return jdbc.read("read archive preferences", c -> {
            try (PreparedStatement ps = prepare(c,
                    "SELECT default_mode, always_jids, never_jids FROM archive_prefs WHERE owner = ?", List.of(owner));
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ArchivePrefs(rs.getString(1), jids(rs.getString(2)), jids(rs.getString(3))));
            }
        });
    }

    @Override
    public void setPrefs(String owner, ArchivePrefs prefs) {
        jdbc.write("store archive preferences", c -> {
            jdbc.lockAccount(c, owner);
            Jdbc.update(c, "DELETE FROM archive_prefs WHERE owner = ?", owner);
            return Jdbc.update(c, "INSERT INTO archive_prefs (owner, default_mode, always_jids, never_jids) "
                            + "VALUES (?, ?, ?, ?)", owner, prefs.defaultMode(),
                    String.join("\n", prefs.always()), String.join("\n", prefs.never()));
        });
    }

    @Override
    public boolean replace(String owner, long id, String stanza) {
        return jdbc.write("replace archived message", c -> Jdbc.update(c,
                "UPDATE archive SET stanza = ?, body = NULL WHERE id = ? AND (sender = ? OR recipient = ?)",
                stanza, id, owner, owner)) > 0;
    }

    @Override
    public int deleteOwner(String owner, long lastId) {
        return jdbc.write("delete archive", c -> {
            int n = Jdbc.update(c, "DELETE FROM archive WHERE recipient = ? AND sender IS NULL AND id <= ?", owner, lastId);
            n += Jdbc.update(c, "DELETE FROM archive WHERE sender = ? AND recipient IS NULL AND id <= ?", owner, lastId);
            Jdbc.update(c, "UPDATE archive SET recipient = NULL WHERE recipient = ? AND id <= ?", owner, lastId);
            Jdbc.update(c, "UPDATE archive SET sender = NULL WHERE sender = ? AND id <= ?", owner, lastId);
            return n;
        });
    }

    @Override
    public int deleteBefore(long id, int maxRows) {
        return jdbc.write("expire archive", c -> Jdbc.update(c,
                "DELETE FROM archive WHERE id IN (SELECT id FROM archive WHERE id < ? ORDER BY id LIMIT ?)", id, maxRows));
    }

    private static Set<String> jids(String lines) {
        Set<String> out = new HashSet<>();
        for (String s : lines.split("\n")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** The one row of an aggregate query, its columns as numbers (null where SQL gives NULL). */
    private static Long[] row(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, List.of(params)); ResultSet rs = ps.executeQuery()) {
            rs.next();
            Long[] columns = new Long[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < columns.length; i++) {
                long v = rs.getLong(i + 1);
                columns[i] = rs.wasNull() ? null : v;
            }
            return columns;
        }
    }

    private static void setText(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
        return ps;
    }
}
