package org.parley.feature.mam;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * An {@link ArchiveRecord} as it waits in the archive writer's queue: its id and its eight texts
 * in one UTF-8 array. Queued rows live through a young collection (the writer commits every half
 * second, the collector runs about once a second under load), and a collection's pause is the
 * work of copying what lives: a record is seventeen objects (the record, eight strings, their
 * arrays), this is two. At 11,000 messages/s the queue and the transaction in flight held
 * ~11 MB of records, which overflowed the survivor space: every young pause took 13-57 ms and
 * promoted ~5 MB of rows that died soon after, so the old generation grew until a full
 * collection (BENCHMARKS.md, "The archive's rows on the heap").
 */
final class QueuedRow {
    private static final int NULL = -1;
    /** The texts' places in the array: sender, recipient, from, its resource, to, its resource, body, stanza. */
    static final int BODY = 6;
    static final int STANZA = 7;
    /** The fixed cost of one row on the heap: this object, the array's header, its lengths. */
    private static final int OVERHEAD = 16 + 16 + 8 * 4;

    private final long id;
    /** For each text, its length in bytes (or {@value #NULL}) as four bytes, then the bytes. */
    private final byte[] text;

    private QueuedRow(long id, byte[] text) {
        this.id = id;
        this.text = text;
    }

    static QueuedRow of(ArchiveRecord r) {
        byte[][] parts = {utf8(r.sender()), utf8(r.recipient()), utf8(r.fromJid()), utf8(r.fromResource()),
                utf8(r.toJid()), utf8(r.toResource()), utf8(r.body()), utf8(r.stanza())};
        int size = 0;
        for (byte[] p : parts) {
            size += Integer.BYTES + (p == null ? 0 : p.length);
        }
        ByteBuffer text = ByteBuffer.allocate(size);
        for (byte[] p : parts) {
            text.putInt(p == null ? NULL : p.length);
            if (p != null) {
                text.put(p);
            }
        }
        return new QueuedRow(r.id(), text.array());
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    long id() {
        return id;
    }

    /** What this row holds on the heap. */
    long bytes() {
        return OVERHEAD + text.length;
    }

    ArchiveRecord record() {
        return decode(8);
    }

    /**
     * The record without its body and stanza (null): the addresses a store indexes by, without
     * decoding the large texts it may write as they are ({@link #utf8}).
     */
    ArchiveRecord addresses() {
        return decode(BODY);
    }

    private ArchiveRecord decode(int fields) {
        ByteBuffer in = ByteBuffer.wrap(text);
        String[] s = new String[8];
        for (int i = 0; i < fields; i++) {
            int n = in.getInt();
            if (n != NULL) {
                s[i] = new String(text, in.position(), n, StandardCharsets.UTF_8);
                in.position(in.position() + n);
            }
        }
        return new ArchiveRecord(id, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
    }

    /** Text {@code field} (e.g. {@link #BODY}) as UTF-8, a copy; null where the record had null. */
    byte[] utf8(int field) {
        ByteBuffer in = ByteBuffer.wrap(text);
        for (int i = 0; i < field; i++) {
            int n = in.getInt();
            in.position(in.position() + Math.max(n, 0));
        }
        int n = in.getInt();
        return n == NULL ? null : Arrays.copyOfRange(text, in.position(), in.position() + n);
    }

    /**
     * The rows as records, each decoded when it is read, so a store writing a batch row by row
     * holds one decoded record at a time instead of all of them.
     */
    static Rows records(List<QueuedRow> rows) {
        return new Rows(rows);
    }

    /** Queued rows read as records; a store that knows it may take the rows themselves ({@link #row}). */
    static final class Rows extends AbstractList<ArchiveRecord> implements RandomAccess {
        private final List<QueuedRow> rows;

        Rows(List<QueuedRow> rows) {
            this.rows = rows;
        }

        QueuedRow row(int index) {
            return rows.get(index);
        }

        @Override
        public ArchiveRecord get(int index) {
            return rows.get(index).record();
        }

        @Override
        public int size() {
            return rows.size();
        }
    }
}
