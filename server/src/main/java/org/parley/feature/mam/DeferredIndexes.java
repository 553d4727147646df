package org.parley.feature.mam;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.parley.store.sql.Jdbc;

/**
 * The SQLite archive's deferred index work (db/mam/sqlite/V2-V6): the full-text index, the
 * conversation table and the owners' side tables are filled in large sorted batches by the
 * archive writer's thread, a transaction at a time, instead of an entry per message at a random
 * leaf; the rows above their mark are kept by owner in {@link RecentRows} for queries meanwhile.
 */
final class DeferredIndexes {
    /**
     * How many slices of deferred work the conversation table's stage holds: each slice then
     * moves into a tenth of the table's key range, writing about a tenth of the leaves a slice
     * straight from the archive wrote. With five (of 10,000 rows) the work fell behind a steady
     * 10,000 messages/s once the archive passed ~1.6 million rows; with ten it kept up to 2.8
     * million (BENCHMARKS.md, "The owners' indexes, deferred").
     */
    static final int STAGE_SLICES = 10;

    private final Jdbc jdbc;
    private final RecentRows recent;
    /** Whether the full-text index is the next deferred work (the archive writer's thread). */
    private boolean textTurn;

    DeferredIndexes(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.recent = loadRecent(jdbc);
    }

    /** The rows above the mark, by owner. */
    RecentRows recent() {
        return recent;
    }

    /**
     * Inside the transaction that appends {@code batch} (its rows' ids and addresses; body and
     * stanza may be null here): notes its rows with a body for the full-text index, and puts a
     * row the deferred work would miss in the tables at once.
     */
    void appending(Connection c, List<ArchiveRecord> batch, long[] withBody, int bodies) throws SQLException {
        notePending(c, withBody, bodies);
        indexLate(c, batch);
    }

    /** After the transaction that appended {@code batch} committed: a query may now find its rows by id. */
    void appended(List<ArchiveRecord> batch) {
        for (ArchiveRecord r : batch) {
            remember(recent, r.id(), r.sender(), SqlArchiveStore.recipient(r), r.fromJid(), r.toJid());
        }
    }

    /**
     * The rows above the mark, read again at start: the deferred work keeps them to a few stages'
     * worth, so this is a short range of recent ids.
     */
    private static RecentRows loadRecent(Jdbc jdbc) {
        return jdbc.read("read recent archive rows", c -> {
            RecentRows rows = new RecentRows(SqlArchiveStore.row(c, "SELECT last_id FROM archive_conversation_mark")[0]);
            try (PreparedStatement ps = SqlArchiveStore.prepare(c,
                    "SELECT id, sender, recipient, from_jid, to_jid FROM archive WHERE id > ? ORDER BY id", List.of(rows.mark()));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    remember(rows, rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
                }
            }
            return rows;
        });
    }

    private static void remember(RecentRows rows, long id, String sender, String recipient, String from, String to) {
        if (sender != null) {
            rows.add(true, sender, id, to);
        }
        if (recipient != null) {
            rows.add(false, recipient, id, from);
        }
    }

    /**
     * Rows at or below the mark (ids from a clock that stepped back across a restart) would never
     * be taken by the deferred work, which takes the rows above it: they go into the tables now.
     */
    private void indexLate(Connection c, List<ArchiveRecord> batch) throws SQLException {
        long mark = recent.mark();
        for (ArchiveRecord r : batch) {
            if (r.id() > mark) {
                continue;
            }
            if (r.sender() != null) {
                Jdbc.update(c, "INSERT OR IGNORE INTO archive_sent (owner, id) VALUES (?, ?)", r.sender(), r.id());
            }
            if (SqlArchiveStore.recipient(r) != null) {
                Jdbc.update(c, "INSERT OR IGNORE INTO archive_received (owner, id) VALUES (?, ?)", r.recipient(), r.id());
            }
            Jdbc.update(c, "INSERT OR IGNORE INTO archive_conversation (low, high, id) SELECT min(?1, ?2), max(?1, ?2), ?3",
                    r.fromJid(), r.toJid(), r.id());
        }
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

    /** All deferred work, caught up; the most rows of one kind done. */
    int indexPending() {
        int most = 0;
        int done;
        do {
            done = indexPending(Integer.MAX_VALUE);
            most = Math.max(most, done);
        } while (done == Integer.MAX_VALUE);
        return most;
    }

    /**
     * One transaction of deferred work: the index tables' (a stage, or a slice of it moved) and
     * the full-text index's in turn, so the archive writer commits the rows queued behind one
     * before the next; a stage, its move and a text slice back to back held the writer over a
     * second at 10,000 messages/s, long enough to fill its queue and hold every sender (BENCHMARKS.md).
     * When one kind is caught up the other goes at once, so a result below {@code maxRows}
     * still means both are.
     */
    int indexPending(int maxRows) {
        boolean text = textTurn;
        textTurn = !text;
        int done = text ? indexText(maxRows) : indexConversations(maxRows);
        if (done >= maxRows) {
            return maxRows;
        }
        textTurn = text;
        return Math.max(done, text ? indexConversations(maxRows) : indexText(maxRows));
    }

    /**
     * One transaction of the index tables' deferred work (db/mam/sqlite/V5, V6): when nothing is
     * staged, sorts the oldest rows above {@code archive_conversation_mark}, up to
     * {@value #STAGE_SLICES} times {@code maxRows}, into the conversation stage and their owners'
     * entries into the owner stage; else moves the first {@code maxRows} staged rows' entries, a
     * key range of each stage, into the tables, and the mark once both stages are empty. Returns
     * the rows moved, or {@code maxRows} while staged entries remain (more to do).
     * {@code OR IGNORE}: a stage left by a crash may hold entries already moved, and it spares the
     * statement journal a multi-row INSERT that may abort would keep.
     */
    private int indexConversations(int maxRows) {
        int stage = (int) Math.min(Integer.MAX_VALUE, (long) STAGE_SLICES * maxRows);
        long stagedRows = jdbc.write("stage archive conversations", c -> {
            Long[] marks = SqlArchiveStore.row(c, "SELECT last_id, staged_to FROM archive_conversation_mark");
            if (marks[1] != null) {
                return -1L; // a stage is being moved
            }
            long mark = marks[0];
            Long[] slice = SqlArchiveStore.row(c, "SELECT max(id), count(id) FROM (SELECT id FROM archive WHERE id > ? ORDER BY id LIMIT ?)",
                    mark, stage);
            long upTo = slice[0] == null ? 0 : slice[0];
            long n = slice[1];
            if (n > 0) {
                Jdbc.update(c, "INSERT INTO archive_conversation_staged (low, high, id) "
                        + "SELECT min(from_jid, to_jid), max(from_jid, to_jid), id FROM archive "
                        + "WHERE id > ? AND id <= ? ORDER BY 1, 2, 3", mark, upTo);
                Jdbc.update(c, "INSERT INTO archive_owner_staged (side, owner, id) "
                        + "SELECT 0, sender, id FROM archive WHERE id > ?1 AND id <= ?2 AND sender IS NOT NULL "
                        + "UNION ALL SELECT 1, recipient, id FROM archive WHERE id > ?1 AND id <= ?2 AND recipient IS NOT NULL "
                        + "ORDER BY 1, 2, 3", mark, upTo);
                Jdbc.update(c, "UPDATE archive_conversation_mark SET staged_to = ?", upTo);
            }
            return n;
        });
        if (stagedRows == 0) {
            return 0;
        }
        if (stagedRows > 0) {
            return maxRows; // staged now, moved by the next calls
        }
        long[] moved = jdbc.write("index archive conversations", c -> {
            long rows = move(c, "archive_conversation_staged", maxRows,
                    "INSERT OR IGNORE INTO archive_conversation (low, high, id) "
                            + "SELECT low, high, id FROM archive_conversation_staged WHERE seq <= ? ORDER BY seq");
            // A row has up to two owners' entries: twice the slice keeps both stages in step.
            long owners = move(c, "archive_owner_staged", 2L * maxRows,
                    "INSERT OR IGNORE INTO archive_sent (owner, id) "
                            + "SELECT owner, id FROM archive_owner_staged WHERE seq <= ? AND side = 0 ORDER BY seq",
                    "INSERT OR IGNORE INTO archive_received (owner, id) "
                            + "SELECT owner, id FROM archive_owner_staged WHERE seq <= ? AND side = 1 ORDER BY seq");
            if (rows < 0 || owners < 0) {
                return new long[] {maxRows, -1}; // entries remain
            }
            Long staged = SqlArchiveStore.row(c, "SELECT staged_to FROM archive_conversation_mark")[0];
            if (staged == null) {
                return new long[] {0, -1};
            }
            Jdbc.update(c, "UPDATE archive_conversation_mark SET last_id = staged_to, staged_to = NULL");
            return new long[] {Math.max(rows, (owners + 1) / 2), staged};
        });
        if (moved[1] >= 0) {
            recent.markTo(moved[1]); // committed: the tables hold every row up to it
        }
        return (int) moved[0];
    }

    /**
     * Moves the first {@code n} entries of a stage into its table(s) ({@code inserts}, each taking
     * the last seq moved); returns how many moved, or -1 when entries remain after them.
     */
    private static long move(Connection c, String stage, long n, String... inserts) throws SQLException {
        Long[] staged = SqlArchiveStore.row(c, "SELECT min(seq), max(seq) FROM " + stage);
        if (staged[0] == null) {
            return 0;
        }
        long count = Math.min(n, staged[1] - staged[0] + 1);
        long end = staged[0] + count - 1;
        for (String insert : inserts) {
            Jdbc.update(c, insert, end);
        }
        Jdbc.update(c, "DELETE FROM " + stage + " WHERE seq <= ?", end);
        return end < staged[1] ? -1 : count;
    }

    /** The full-text part of {@link #indexPending}: at most {@code maxRows} noted rows, the oldest first. */
    int indexText(int maxRows) {
        // A read first: a query and its count both come here, and a write transaction would take
        // the database's one write lock from the archive writer even when nothing is pending.
        Long[] slice = jdbc.read("check archive text", c -> SqlArchiveStore.row(c,
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
}
