package org.parley.feature.mam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.store.sql.Database;
import org.parley.store.sql.SqlStores;

/**
 * The writer on SQLite end to end: everything submitted is committed once flush returns, and
 * the CPU the writer thread spends per message (printed, user and system apart, with the bytes
 * the process wrote per message, WAL frames and checkpoints, and its write calls per message).
 * By default the rows come as fast as one thread submits them; {@code -Darchive.bench.rate=10000}
 * paces them as the chat does, so transactions are as large as {@code archive.writeDelay} makes
 * them in the server. {@code -Darchive.bench.mmapBytes=0} sets SQLite's memory map
 * ({@code database.mmapBytes}; default: the server's), {@code -Darchive.bench.prefill=1000000}
 * writes that many rows unmeasured first, so the measured ones go into a large archive.
 */
class ArchiveWriterThroughputTest {
    @TempDir
    Path dir;

    @Test
    void groupCommitKeepsUpAndFlushMeansCommitted() throws Exception {
        int n = Integer.getInteger("archive.bench.messages", 50_000);
        int rate = Integer.getInteger("archive.bench.rate", 0);
        int users = Integer.getInteger("archive.bench.users", 1000);
        Duration delay = Duration.ofMillis(Long.getLong("archive.bench.delayMillis", 500));
        long mmap = Long.getLong("archive.bench.mmapBytes", Database.DEFAULT_SQLITE_MMAP_BYTES);
        try (SqlStores stores = new SqlStores(Database.open("jdbc:sqlite:" + dir.resolve("p.db"), 4,
                Duration.ofSeconds(5), mmap, Clock.systemUTC()))) {
            stores.database().migrate("mam");
            ArchiveStore archive = new SqlArchiveStore(stores.database());
            ArchiveWriter writer = new ArchiveWriter(archive, Clock.systemUTC(), 0, 10_000, delay, 100_000,
                    Long.MAX_VALUE, "w");
            writer.start();
            int prefill = Integer.getInteger("archive.bench.prefill", 0);
            for (int i = 0; i < prefill; i++) {
                submit(writer, n + i, users);
            }
            writer.flush(Duration.ofMinutes(10));
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long written0 = io("write_bytes:");
            long calls0 = io("syscw:");
            long t0 = System.nanoTime();
            long callerCpu0 = mx.getCurrentThreadCpuTime();
            long[] writerCpu0 = writerCpu(mx);
            for (int i = 0; i < n; i++) {
                if (rate > 0) {
                    long due = t0 + i * 1_000_000_000L / rate;
                    while (System.nanoTime() < due) {
                        LockSupport.parkNanos(due - System.nanoTime());
                    }
                }
                submit(writer, i, users);
            }
            long callerCpu = mx.getCurrentThreadCpuTime() - callerCpu0;
            writer.flush(Duration.ofMinutes(1));
            long wall = System.nanoTime() - t0;
            long writerCpu = -writerCpu0[0];
            long writerUser = -writerCpu0[1];
            long[] writerCpu1 = writerCpu(mx);
            writerCpu += writerCpu1[0];
            writerUser += writerCpu1[1];
            long written = io("write_bytes:") - written0;
            long calls = io("syscw:") - calls0;
            System.out.printf("archive writer (mmap %d): %d messages in %.0f ms wall (%.0f/s, offered %s); writer CPU %.1f µs/msg "
                            + "(user %.1f, system %.1f), submitting thread %.2f µs/msg, written %s bytes/msg in %s write calls/msg; "
                            + "database file %d MB (WAL %d MB), %d MB of it mapped in RSS%n",
                    mmap, n, wall / 1e6, n / (wall / 1e9), rate > 0 ? rate + "/s" : "as fast as possible",
                    writerCpu / 1e3 / n, writerUser / 1e3 / n, (writerCpu - writerUser) / 1e3 / n,
                    callerCpu / 1e3 / n, written < 0 ? "?" : Long.toString(written / n),
                    calls < 0 ? "?" : String.format("%.1f", (double) calls / n),
                    Files.size(dir.resolve("p.db")) >> 20,
                    Files.exists(dir.resolve("p.db-wal")) ? Files.size(dir.resolve("p.db-wal")) >> 20 : 0, mappedKb(dir.resolve("p.db")) >> 10);
            queries(archive, Integer.getInteger("archive.bench.queries", prefill > 0 ? 2000 : 0), users,
                    dir.resolve("p.db"));
            assertThat(writer.pending()).isZero();
            assertThat(archive.count(new ArchiveQuery("u1", Long.MIN_VALUE, Long.MAX_VALUE, null, null, null,
                    0, false))).isGreaterThan(0);
            writer.close();
        }
    }

    private static final AtomicLong FIRST_ID = new AtomicLong(Long.MAX_VALUE);
    private static final AtomicLong LAST_ID = new AtomicLong(Long.MIN_VALUE);

    private static void submit(ArchiveWriter writer, int i, int users) {
        String from = "u" + (i % users);
        String to = "u" + ((i * 7 + i / users) % users);
        String body = "T" + System.nanoTime() + " S1 " + "x".repeat(40);
        writer.submit(id -> {
            FIRST_ID.accumulateAndGet(id, Math::min);
            LAST_ID.accumulateAndGet(id, Math::max);
            return new ArchiveRecord(id, from, to, from + "@bench.local", "r", to + "@bench.local",
                    null, body, "<message xmlns='jabber:client' type='chat' to='" + to
                    + "@bench.local' from='" + from + "@bench.local/r' id='m" + id + "'><body>" + body
                    + "</body></message>");
        });
    }

    /**
     * MAM pages of 50 over the archive just written, one after another: half the newest page (as a
     * client opening a conversation), half ending at a random row (scrolling far up); half of each
     * with one contact. Prints the latency of each kind.
     */
    private static void queries(ArchiveStore archive, int n, int users, Path db) {
        if (n == 0) {
            return;
        }
        Random random = new Random(1);
        long first = FIRST_ID.get();
        long last = LAST_ID.get();
        long[][] ns = new long[2][n / 2];
        for (int q = 0; q < n / 2 * 2; q++) {
            boolean deep = q % 2 == 1;
            String owner = "u" + random.nextInt(users);
            String with = random.nextBoolean() ? "u" + random.nextInt(users) + "@bench.local" : null;
            long before = deep ? first + (long) (random.nextDouble() * (last - first)) : Long.MAX_VALUE;
            long t = System.nanoTime();
            archive.query(new ArchiveQuery(owner, owner + "@bench.local", Long.MIN_VALUE, before, with, null, null, 50, true));
            ns[deep ? 1 : 0][q / 2] = System.nanoTime() - t;
        }
        for (long[] kind : ns) {
            Arrays.sort(kind);
        }
        System.out.printf("archive queries: %d pages of 50; newest p50 %.2f ms p99 %.2f ms; deep p50 %.2f ms p99 %.2f ms; "
                        + "%d MB of the database file mapped in RSS after%n", n / 2 * 2,
                ns[0][ns[0].length / 2] / 1e6, ns[0][ns[0].length * 99 / 100] / 1e6,
                ns[1][ns[1].length / 2] / 1e6, ns[1][ns[1].length * 99 / 100] / 1e6, mappedKb(db) >> 10);
    }

    /** Kilobytes of {@code file}'s mapping resident in this process ({@code /proc/self/smaps}; 0 elsewhere). */
    private static long mappedKb(Path file) {
        long kb = 0;
        boolean in = false;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
                if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                    in = line.endsWith(" " + file.toRealPath());
                } else if (in && line.startsWith("Rss:")) {
                    kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return kb;
    }

    /** The writer thread's CPU time and user time so far, in ns. */
    private static long[] writerCpu(ThreadMXBean mx) {
        Thread[] threads = new Thread[Thread.activeCount() + 10];
        int count = Thread.enumerate(threads);
        for (int i = 0; i < count; i++) {
            if (threads[i].getName().equals("w")) {
                return new long[] {mx.getThreadCpuTime(threads[i].threadId()), mx.getThreadUserTime(threads[i].threadId())};
            }
        }
        return new long[] {0, 0};
    }

    /**
     * A counter of this process's I/O (Linux), or a negative number elsewhere: {@code write_bytes:}
     * what reached storage, {@code syscw:} write calls of any kind. Both are needed: SQLite's
     * temporary files (a statement journal) are deleted before the kernel writes them back, so
     * their cost shows in the calls only.
     */
    private static long io(String counter) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith(counter)) {
                    return Long.parseLong(line.substring(counter.length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return Long.MIN_VALUE;
    }
}
