package org.parley.feature.mam;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.store.sql.SqlStores;

/**
 * The writer on SQLite end to end: everything submitted is committed once flush returns, and
 * the CPU the writer thread spends per message (printed; the budget for 10,000 msgs/s on one
 * shared core is a few microseconds, far below the 130 µs of writing two rows per message).
 */
class ArchiveWriterThroughputTest {
    @TempDir
    Path dir;

    @Test
    void groupCommitKeepsUpAndFlushMeansCommitted() throws Exception {
        int n = Integer.getInteger("archive.bench.messages", 50_000);
        try (SqlStores stores = SqlStores.open("jdbc:sqlite:" + dir.resolve("p.db"), 4)) {
            ArchiveStore archive = new SqlArchiveStore(stores.database());
            ArchiveWriter writer = new ArchiveWriter(archive, Clock.systemUTC(), 0, 10_000, Duration.ofMillis(500), 100_000, Long.MAX_VALUE, "w");
            writer.start();
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            Thread[] threads = new Thread[Thread.activeCount() + 10];
            long t0 = System.nanoTime();
            long callerCpu0 = mx.getCurrentThreadCpuTime();
            String body = "T1234567890123 S1 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
            for (int i = 0; i < n; i++) {
                String from = "u" + (i % 1000);
                String to = "u" + ((i * 7) % 1000);
                writer.submit(id -> new ArchiveRecord(id, from, to, from + "@bench.local", "r", to + "@bench.local",
                        null, body, "<message xmlns='jabber:client' type='chat' to='" + to
                        + "@bench.local'><body>" + body + "</body></message>"));
            }
            long callerCpu = mx.getCurrentThreadCpuTime() - callerCpu0;
            writer.flush(Duration.ofMinutes(1));
            long wall = System.nanoTime() - t0;
            long writerCpu = 0;
            int count = Thread.enumerate(threads);
            for (int i = 0; i < count; i++) {
                if (threads[i].getName().equals("w")) {
                    writerCpu = mx.getThreadCpuTime(threads[i].threadId());
                }
            }
            System.out.printf("archive writer: %d messages in %.0f ms wall (%.0f/s); writer CPU %.1f µs/msg, "
                    + "submitting thread %.2f µs/msg%n", n, wall / 1e6, n / (wall / 1e9), writerCpu / 1e3 / n,
                    callerCpu / 1e3 / n);
            assertThat(writer.pending()).isZero();
            assertThat(archive.count(new ArchiveQuery("u1", Long.MIN_VALUE, Long.MAX_VALUE, null, null, null,
                    0, false))).isGreaterThan(0);
            writer.close();
        }
    }
}
