package org.parley.feature.mam;

import java.util.List;
import java.util.Optional;

/**
 * The message archive (XEP-0313): one row per message, kept in the sender's and/or the
 * recipient's archive, keyed by its time-ordered id. Writes come in batches from one writer per
 * node; reads are one index range scan per side of an owner's archive.
 */
public interface ArchiveStore {

    /** Inserts all rows in one transaction; ids are unique and assigned by the caller. */
    void append(List<ArchiveRecord> batch);

    /**
     * Up to {@code query.limit()} of the owner's messages within the query's bounds, oldest first
     * when reading forwards, newest first when {@link ArchiveQuery#backwards()}.
     */
    List<ArchiveRecord> query(ArchiveQuery query);

    /** How many of the owner's messages match the query's filters and bounds (limit ignored). */
    default long count(ArchiveQuery query) {
        return count(query, Long.MAX_VALUE - 1);
    }

    /**
     * As {@link #count(ArchiveQuery)}, reading at most about {@code atMost + 1} index entries per
     * side: the count when it is at most {@code atMost}, else {@code atMost + 1}.
     */
    long count(ArchiveQuery query, long atMost);

    /** Whether the owner's archive holds a message with this id. */
    boolean contains(String owner, long id);

    /** The owner's preferences, if ever set. */
    Optional<ArchivePrefs> prefs(String owner);

    void setPrefs(String owner, ArchivePrefs prefs);

    /**
     * Replaces the stanza of the owner's message {@code id} and forgets its body, so full-text
     * searches no longer find it (a XEP-0425 tombstone). False when the owner has no such message.
     */
    boolean replace(String owner, long id, String stanza);

    /**
     * Deletes the owner's messages with ids up to {@code lastId}, keeping rows another archive
     * shares (a room that is gone; a new one of the same name archives above it); returns how many went.
     */
    int deleteOwner(String owner, long lastId);

    /** Deletes every message with an id below this one (retention); returns how many went. */
    int deleteBefore(long id, int maxRows);

    /**
     * Catches up deferred index work (on SQLite the full-text index, which costs per transaction,
     * and the conversation table, whose entries scatter: both are cheaper per row in large sorted
     * batches); a no-op where the database does it as rows come. Returns the number of rows
     * indexed (of the kind with most). Queries see every message either way: full-text ones index
     * first, and one conversation is read from the table and from the rows above its mark.
     */
    default int indexPending() {
        return indexPending(Integer.MAX_VALUE);
    }

    /**
     * One slice of {@link #indexPending()}: at most {@code maxRows} rows of each kind of deferred
     * work, the oldest first. Returns the most rows of one kind done: below {@code maxRows}, all
     * is caught up.
     */
    default int indexPending(int maxRows) {
        return 0;
    }

    /** Rows written whose deferred index work is not done yet (rows the store may hold in memory for it). */
    default long deferredRows() {
        return 0;
    }
}
