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
    /** Rows bound per JDBC batch within one append. */
    private static final int BIND_PART = 256;

    private final Jdbc jdbc;
    private final Dialect dialect;
    /** SQLite: the deferred index work and the rows above its mark (null on PostgreSQL). */
    private final DeferredIndexes deferred;

    public SqlArchiveStore(Database database) {
        this.jdbc = database.jdbc();
        this.dialect = database.dialect();
        this.deferred = dialect == Dialect.SQLITE ? new DeferredIndexes(jdbc) : null;
    }

    /** The recipient column of a row: a message to oneself is kept on the sent side only. */
    static String recipient(ArchiveRecord r) {
        return r.recipient() != null && r.recipient().equals(r.sender()) ? null : r.recipient();
    }

    @Override
    public void append(List<ArchiveRecord> batch) {
        if (batch.isEmpty()) {
            return;
        }
        // On SQLite, the writer's queued rows give their body and stanza as the UTF-8 they already
        // are, bound as blobs the statement casts to text (the same bytes, stored as text): decoding
        // them to strings for the driver to encode again was a third of the server's allocation at
        // 12,000 msgs/s (BENCHMARKS.md, "The archive's texts, bound as they are queued").
        QueuedRow.Rows queued = deferred != null && batch instanceof QueuedRow.Rows q ? q : null;
        String texts = queued == null ? "?, ?" : "CAST(? AS TEXT), CAST(? AS TEXT)";
        List<ArchiveRecord> addressed = jdbc.write("archive messages", c -> {
            // Each row decoded once: the deferred work below reads the batch's addresses again.
            List<ArchiveRecord> rows = new ArrayList<>(deferred == null ? 0 : batch.size());
            long[] withBody = new long[batch.size()];
            int bodies = 0;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO archive (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, " + texts + ")")) {
                int bound = 0;
                for (int i = 0; i < batch.size(); i++) {
                    ArchiveRecord r;
                    boolean body;
                    if (queued != null) {
                        QueuedRow row = queued.row(i);
                        r = row.addresses();
                        byte[] text = row.utf8(QueuedRow.BODY);
                        body = text != null;
                        ps.setBytes(8, text);
                        ps.setBytes(9, row.utf8(QueuedRow.STANZA));
                    } else {
                        r = batch.get(i);
                        body = r.body() != null;
                        setText(ps, 8, r.body());
                        ps.setString(9, r.stanza());
                    }
                    ps.setLong(1, r.id());
                    setText(ps, 2, r.sender());
                    // A message to oneself is kept on the sent side only: no side holds a row
                    // twice, so counts stay index-only (no row lookups to exclude duplicates).
                    setText(ps, 3, recipient(r));
                    ps.setString(4, r.fromJid());
                    setText(ps, 5, r.fromResource());
                    ps.setString(6, r.toJid());
                    setText(ps, 7, r.toResource());
                    ps.addBatch();
                    if (body) {
                        withBody[bodies++] = r.id();
                    }
                    if (deferred != null) {
                        rows.add(r);
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
            if (deferred != null) {
                deferred.appending(c, rows, withBody, bodies);
            }
            return rows;
        });
        if (deferred != null) {
            deferred.appended(addressed);
        }
    }

    @Override
    public int indexPending() {
        return deferred == null ? 0 : deferred.indexPending();
    }

    @Override
    public int indexPending(int maxRows) {
        // PostgreSQL's indexes are maintained as rows come, its GIN pending list defers the text.
        return deferred == null ? 0 : deferred.indexPending(maxRows);
    }

    @Override
    public long deferredRows() {
        return deferred == null ? 0 : deferred.recent().rows();
    }

    @Override
    public List<ArchiveRecord> query(ArchiveQuery q) {
        if (q.fulltext() != null && dialect == Dialect.SQLITE) {
            deferred.indexText(Integer.MAX_VALUE);
        }
        return jdbc.read("read archive", c -> {
            // One range scan per side of the archive, each already in order and limited; the
            // merge keeps the first 'limit' of both.
            List<ArchiveRecord> sent = deferred != null ? sqliteSide(c, q, true) : side(c, q, true);
            List<ArchiveRecord> received = deferred != null ? sqliteSide(c, q, false) : side(c, q, false);
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
        return rows(c, select(q, sent, COLUMNS, q.limit(), params), params);
    }

    @Override
    public long count(ArchiveQuery q, long atMost) {
        if (q.fulltext() != null && dialect == Dialect.SQLITE) {
            deferred.indexText(Integer.MAX_VALUE);
        }
        long cap = atMost + 1;
        return jdbc.read("count archive", c -> {
            if (deferred != null) {
                long n = sqliteCount(c, q, true, cap);
                return n >= cap ? cap : n + sqliteCount(c, q, false, cap - n);
            }
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
     * One side on SQLite (db/mam/sqlite/V6), in the query's order: the rows above the mark, by id
     * from {@link RecentRows}, and the older ones through the side's table (or the conversation
     * table); newest first when reading backwards, so a page usually ends within the recent ones.
     */
    private List<ArchiveRecord> sqliteSide(Connection c, ArchiveQuery q, boolean sent) throws SQLException {
        RecentRows.Snapshot recentIds = candidates(c, q, sent);
        List<ArchiveRecord> out = new ArrayList<>();
        if (q.backwards()) {
            recentRows(c, q, sent, recentIds.ids(), out);
        }
        if (out.size() < q.limit()) {
            List<Object> params = new ArrayList<>();
            String sql = older(q, sent, COLUMNS, recentIds.mark(), q.limit() - out.size(), params);
            out.addAll(rows(c, sql, params));
        }
        if (!q.backwards() && out.size() < q.limit()) {
            recentRows(c, q, sent, recentIds.ids(), out);
        }
        return out;
    }

    /**
     * The owner's ids above the tables' mark as the database has it, and that mark: the ids are
     * taken from memory first, then the mark, which is never below the one they are above (it is
     * moved in memory only once committed), so between them they hold every row of this store's
     * writer up to the call, and the tables every row up to the mark, whoever moved it. Rows another
     * store instance wrote on the same file are seen once moved into the tables.
     */
    private RecentRows.Snapshot candidates(Connection c, ArchiveQuery q, boolean sent) throws SQLException {
        long[] ids = deferred.recent().candidates(q.owner(), sent, q.afterId(), q.beforeId(), q.withJid()).ids();
        long mark = row(c, "SELECT last_id FROM archive_conversation_mark")[0];
        int above = Arrays.binarySearch(ids, mark);
        above = above >= 0 ? above + 1 : -above - 1;
        return new RecentRows.Snapshot(mark, above == 0 ? ids : Arrays.copyOfRange(ids, above, ids.length));
    }

    /**
     * Appends to {@code out}, up to the query's limit, the rows among {@code ids} (ascending) that
     * still match it, in the query's order: a chunk of ids at a time, each larger than the last
     * (most pages end in the first).
     */
    private void recentRows(Connection c, ArchiveQuery q, boolean sent, long[] ids, List<ArchiveRecord> out)
            throws SQLException {
        int chunk = Math.max(64, q.limit());
        for (int done = 0; done < ids.length && out.size() < q.limit(); done += chunk, chunk *= 4) {
            List<Object> params = new ArrayList<>();
            params.add(json(ids, done, chunk, q.backwards()));
            String sql = "SELECT " + COLUMNS + " FROM archive WHERE id IN (SELECT value FROM json_each(?)) AND "
                    + where(q, sent, params, "", "id", false) + " ORDER BY id " + (q.backwards() ? "DESC" : "ASC") + " LIMIT ?";
            params.add(q.limit() - out.size());
            out.addAll(rows(c, sql, params));
        }
    }

    private long sqliteCount(Connection c, ArchiveQuery q, boolean sent, long cap) throws SQLException {
        RecentRows.Snapshot recentIds = candidates(c, q, sent);
        long n = 0;
        long[] ids = recentIds.ids();
        for (int done = 0; done < ids.length && n < cap; done += 10_000) {
            List<Object> params = new ArrayList<>();
            params.add(json(ids, done, 10_000, false));
            n += number(c, "SELECT count(*) FROM archive WHERE id IN (SELECT value FROM json_each(?)) AND "
                    + where(q, sent, params, "", "id", false), params);
        }
        if (n >= cap) {
            return cap;
        }
        List<Object> params = new ArrayList<>();
        String older;
        if (q.withJid() == null && q.fulltext() == null) {
            // Index only: the side's table holds every row of the owner up to the mark.
            params.addAll(List.of(q.owner(), recentIds.mark(), q.afterId(), q.beforeId(), cap - n));
            older = "SELECT id FROM " + (sent ? "archive_sent" : "archive_received")
                    + " WHERE owner = ? AND id <= ? AND id > ? AND id < ? LIMIT ?";
        } else {
            older = older(q, sent, "id", recentIds.mark(), cap - n, params);
        }
        return n + number(c, "SELECT count(*) FROM (" + older + ")", params);
    }

    /**
     * The rows of one side up to {@code mark}, in the query's order, at most {@code limit}:
     * through {@code archive_conversation} for one conversation, seeking straight to the pair,
     * else through the side's table; each row looked up by id.
     */
    private String older(ArchiveQuery q, boolean sent, String cols, long mark, long limit, List<Object> params) {
        String order = q.backwards() ? "DESC" : "ASC";
        String selected = Arrays.stream(cols.split(", ")).map(col -> "a." + col).collect(Collectors.joining(", "));
        String sql;
        if (q.withJid() != null && q.ownerJid() != null) {
            sql = "SELECT " + selected + " FROM archive_conversation c CROSS JOIN archive a ON a.id = c.id WHERE "
                    + where(q, sent, params, "a.", "c.id", true) + " AND c.id <= ? ORDER BY c.id " + order + " LIMIT ?";
        } else {
            params.add(q.owner());
            sql = "SELECT " + selected + " FROM " + (sent ? "archive_sent" : "archive_received")
                    + " o CROSS JOIN archive a ON a.id = o.id WHERE o.owner = ? AND "
                    + where(q, sent, params, "a.", "o.id", false) + " AND o.id <= ? ORDER BY o.id " + order + " LIMIT ?";
        }
        params.add(mark);
        params.add(limit);
        return sql;
    }

    /** Ids {@code from} .. {@code from + n} of an ascending array (counted from its end when {@code reversed}), as JSON. */
    private static String json(long[] ids, int from, int n, boolean reversed) {
        StringBuilder out = new StringBuilder("[");
        int end = (int) Math.min(ids.length, (long) from + n);
        for (int i = from; i < end; i++) {
            if (i > from) {
                out.append(',');
            }
            out.append(ids[reversed ? ids.length - 1 - i : i]);
        }
        return out.append(']').toString();
    }

    private static List<ArchiveRecord> rows(Connection c, String sql, List<Object> params) throws SQLException {
        List<ArchiveRecord> rows = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new ArchiveRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
            }
        }
        return rows;
    }

    private static long number(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One side's rows in the query's order, at most {@code limit}, on PostgreSQL (an index per side). */
    private String select(ArchiveQuery q, boolean sent, String cols, long limit, List<Object> params) {
        String sql = "SELECT " + cols + " FROM archive WHERE " + where(q, sent, params, "", "id", false)
                + " ORDER BY id " + (q.backwards() ? "DESC" : "ASC") + " LIMIT ?";
        params.add(limit);
        return sql;
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
        // SQLite has no index on the owner columns: its rows are those of the side tables and,
        // above their mark, any recent one (db/mam/sqlite/V6).
        String mine = deferred == null ? "" : " AND id IN (SELECT id FROM archive_sent WHERE owner = ?1 UNION ALL "
                + "SELECT id FROM archive_received WHERE owner = ?1 UNION ALL "
                + "SELECT id FROM archive WHERE id > (SELECT last_id FROM archive_conversation_mark))";
        return jdbc.write("delete archive", c -> {
            int n = Jdbc.update(c, "DELETE FROM archive WHERE recipient = ? AND sender IS NULL AND id <= ?" + mine, owner, lastId);
            n += Jdbc.update(c, "DELETE FROM archive WHERE sender = ? AND recipient IS NULL AND id <= ?" + mine, owner, lastId);
            Jdbc.update(c, "UPDATE archive SET recipient = NULL WHERE recipient = ? AND id <= ?" + mine, owner, lastId);
            Jdbc.update(c, "UPDATE archive SET sender = NULL WHERE sender = ? AND id <= ?" + mine, owner, lastId);
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
    static Long[] row(Connection c, String sql, Object... params) throws SQLException {
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

    static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
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
