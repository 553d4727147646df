package org.parley.feature.mam;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The archive rows above the deferred indexes' mark (db/mam/sqlite/V6), by owner and side, in
 * memory: the rows the SQLite archive's side tables do not hold yet. A query reads the rows up to
 * {@link Snapshot#mark} through those tables and the ones above it by id from this list, so
 * writing a message dirties no per-owner index page.
 *
 * <p>It is a list of candidates, not a source of truth: a query reads each candidate's row and
 * checks every condition on it again (the row may have been deleted, or its side given up, since).
 * Entries are ids and a hash of the other end's JID, twelve bytes each; there are as many as rows
 * above the mark on both sides, which the archive writer's deferred work keeps to a few stages'
 * worth ({@code ArchiveWriter.INDEX_SLICE}, {@code DeferredIndexes.STAGE_SLICES}).
 */
final class RecentRows {
    private final Map<String, Tail> sent = new HashMap<>();
    private final Map<String, Tail> received = new HashMap<>();
    private long mark;
    private long entries;

    RecentRows(long mark) {
        this.mark = mark;
    }

    /** What one query reads: every row above {@code mark} with an entry in range, ids ascending. */
    record Snapshot(long mark, long[] ids) {
    }

    /** The mark below which the side tables hold every row. */
    synchronized long mark() {
        return mark;
    }

    /** How many entries are held (both sides). */
    synchronized long size() {
        return entries;
    }

    /** About how many rows are above the mark: a row has one or two entries. */
    synchronized long rows() {
        return (entries + 1) / 2;
    }

    /**
     * Adds one row's side: its owner, and the other end's bare JID. Ids at or below the mark are
     * already in the tables (the deferred work took them meanwhile) and are not kept.
     */
    synchronized void add(boolean sentSide, String owner, long id, String peer) {
        if (id <= mark) {
            return;
        }
        if ((sentSide ? sent : received).computeIfAbsent(owner, o -> new Tail()).add(id, peer.hashCode())) {
            entries++;
        }
    }

    /** The tables now hold every row up to {@code newMark}: their entries go. */
    synchronized void markTo(long newMark) {
        if (newMark <= mark) {
            return;
        }
        mark = newMark;
        entries = drop(sent, newMark) + drop(received, newMark);
    }

    private static long drop(Map<String, Tail> side, long upTo) {
        long left = 0;
        for (Iterator<Tail> it = side.values().iterator(); it.hasNext(); ) {
            Tail t = it.next();
            t.dropUpTo(upTo);
            if (t.n == 0) {
                it.remove();
            } else {
                left += t.n;
            }
        }
        return left;
    }

    /**
     * The owner's entries of one side with {@code afterId < id < beforeId}, and with the other end
     * {@code peer} when not null (by hash: the caller checks the row), with the mark they are above.
     */
    synchronized Snapshot candidates(String owner, boolean sentSide, long afterId, long beforeId, String peer) {
        Tail t = (sentSide ? sent : received).get(owner);
        if (t == null) {
            return new Snapshot(mark, new long[0]);
        }
        int from = t.firstAbove(afterId);
        int to = t.firstAbove(beforeId - 1);
        if (peer == null) {
            return new Snapshot(mark, Arrays.copyOfRange(t.ids, from, Math.max(from, to)));
        }
        int hash = peer.hashCode();
        long[] out = new long[Math.max(0, to - from)];
        int k = 0;
        for (int i = from; i < to; i++) {
            if (t.peers[i] == hash) {
                out[k++] = t.ids[i];
            }
        }
        return new Snapshot(mark, Arrays.copyOf(out, k));
    }

    /** One owner's entries of one side, ids ascending. */
    private static final class Tail {
        long[] ids = new long[4];
        int[] peers = new int[4];
        int n;

        /** Whether the id was new. */
        boolean add(long id, int peer) {
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, n * 2);
                peers = Arrays.copyOf(peers, n * 2);
            }
            // Ids come in ascending order from the one writer; one that does not (a clock stepped
            // back, a retried batch) is put in its place.
            int at = n;
            while (at > 0 && ids[at - 1] > id) {
                at--;
            }
            if (at > 0 && ids[at - 1] == id) {
                return false;
            }
            System.arraycopy(ids, at, ids, at + 1, n - at);
            System.arraycopy(peers, at, peers, at + 1, n - at);
            ids[at] = id;
            peers[at] = peer;
            n++;
            return true;
        }

        /** The index of the first entry with an id above {@code id}. */
        int firstAbove(long id) {
            int i = Arrays.binarySearch(ids, 0, n, id);
            return i >= 0 ? i + 1 : -i - 1;
        }

        void dropUpTo(long upTo) {
            int k = firstAbove(upTo);
            if (k == 0) {
                return;
            }
            n -= k;
            long[] keptIds = Arrays.copyOfRange(ids, k, k + Math.max(n, 4));
            int[] keptPeers = Arrays.copyOfRange(peers, k, k + Math.max(n, 4));
            ids = keptIds;
            peers = keptPeers;
        }
    }
}
