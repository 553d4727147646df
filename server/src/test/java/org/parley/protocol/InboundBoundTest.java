package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.c2s.StreamInput;
import org.parley.session.Session;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.xmpp.Jid;

/**
 * c2s.maxQueuedBytes on real sockets: while the store is slow (another connection holds SQLite's
 * write lock, so every message to an offline user waits), several clients flood that user. Each
 * session's own bound (c2s.maxQueuedStanzas, 256) would let every flooder queue hundreds of parsed
 * stanzas, so the server's queued input grew with the number of flooders; the server-wide bound
 * keeps the total near it, the flooders waiting in TCP. A pair of other users chats throughout,
 * at once, and once the lock is gone every flooded message is stored: nothing was dropped.
 */
class InboundBoundTest {
    private static final int FLOODERS = 4;
    private static final int PER_FLOODER = 300;
    private static final String BODY = "y".repeat(1000);
    /** The setting's minimum: 64 KiB, about 50 of these stanzas at their estimated cost. */
    private static final int MAX_QUEUED_BYTES = 65_536;
    private static final long LOCK_MILLIS = 6_000;

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_C2S_MAX_QUEUED_BYTES", Integer.toString(MAX_QUEUED_BYTES),
            "PARLEY_ARCHIVE_ENABLED", "false", // the offline store alone is slow here
            "PARLEY_OFFLINE_MAX_PER_USER", "100000",
            "PARLEY_STRANGERS_MAX_MESSAGES", "1000000",
            "PARLEY_C2S_MAX_INBOUND_STANZAS_PER_SECOND", "1000000",
            "PARLEY_C2S_INBOUND_STANZA_BURST", "1000000",
            "PARLEY_C2S_MAX_INBOUND_BYTES_PER_SECOND", "1000000000",
            "PARLEY_C2S_INBOUND_BYTE_BURST", "1000000000"));

    private static int backlog(String full) {
        Session s = server.get().server().directory().session(Jid.of(full));
        return s instanceof StreamInput in ? in.backlog() : 0;
    }

    private static int storedFor(String owner) throws Exception {
        try (Connection c = DriverManager.getConnection(server.get().server().config().database().url());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM offline WHERE owner = '" + owner + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void floodersWaitInTcpWhileTheStoreIsSlowAndOthersStillChat() throws Exception {
        server.account("ib-victim");
        List<RawStreamClient> flooders = new ArrayList<>();
        List<String> fulls = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(FLOODERS);
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger maxTotal = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong maxCounted = new java.util.concurrent.atomic.AtomicLong();
        try (MessageInbox carol = server.inbox("ib-carol", "c");
             MessageInbox dave = server.inbox("ib-dave", "d")) {
            for (int i = 0; i < FLOODERS; i++) {
                flooders.add(server.bound("ib-flood" + i, "f"));
                fulls.add("ib-flood" + i + "@localhost/f");
            }
            carol.chatWith(dave, "warm");
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                while (sampling.get()) {
                    int total = 0;
                    for (String f : fulls) {
                        total += backlog(f);
                    }
                    maxTotal.accumulateAndGet(total, Math::max);
                    maxCounted.accumulateAndGet((long) server.get().server().meters()
                            .get("parley.c2s.inbound.queued").gauge().value(), Math::max);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long during;
            List<Future<?>> sends = new ArrayList<>();
            String db = server.get().server().config().database().url();
            try (Connection lock = DriverManager.getConnection(db);
                 Statement st = lock.createStatement()) {
                st.execute("BEGIN IMMEDIATE"); // SQLite's one write lock: every offline write waits
                long lockedAt = System.nanoTime();
                for (RawStreamClient f : flooders) {
                    sends.add(senders.submit(() -> {
                        StringBuilder burst = new StringBuilder();
                        for (int n = 0; n < PER_FLOODER; n++) {
                            burst.append("<message to='ib-victim@localhost' type='chat'><body>").append(n).append(' ')
                                    .append(BODY).append("</body></message>");
                            if (burst.length() > 32_000) {
                                f.send(burst.toString()); // blocks once the server stops reading: TCP backpressure
                                burst.setLength(0);
                            }
                        }
                        f.send(burst.toString());
                        return null;
                    }));
                }
                Thread.sleep(1500); // the flood has queued what it can by now
                long t0 = System.nanoTime();
                carol.chatWith(dave, "during");
                dave.chatWith(carol, "during too");
                during = (System.nanoTime() - t0) / 1_000_000;
                long left = LOCK_MILLIS - (System.nanoTime() - lockedAt) / 1_000_000;
                assertThat(left).as("the lock was still held while they chatted (else the test proved nothing)")
                        .isPositive();
                Thread.sleep(left);
                st.execute("ROLLBACK");
            }
            for (Future<?> s : sends) {
                s.get(120, TimeUnit.SECONDS);
            }
            // 1,200 SQLite transactions one after another, each with its fsync, on a loaded machine
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            int stored;
            while ((stored = storedFor("ib-victim")) < FLOODERS * PER_FLOODER && System.nanoTime() < until) {
                Thread.sleep(1000);
            }
            assertThat(stored).as("every flooded message stored").isEqualTo(FLOODERS * PER_FLOODER);
            sampling.set(false);
            sampler.join();
            System.out.println("InboundBoundTest: at most " + maxTotal.get() + " stanzas queued by " + FLOODERS
                    + " flooders (the budget counted at most " + maxCounted.get() + " bytes); two round trips"
                    + " between others took " + during + " ms during the flood");
            carol.chatWith(dave, "after");
            assertThat(during).as("ms for two messages between others while the flood waited for the store")
                    .isLessThan(LOCK_MILLIS / 2);
            // The bound is ~50 of these stanzas (each counts its ~1.1 KB and 256 bytes); a held session
            // still parses what its parser was fed (up to 16 KiB, ~15 of them) and the stanza that
            // crossed the bound: the budget's own count peaked at 132-140 KB in two runs, as that says.
            // The sessions' backlogs summed by this sampler were 98-249 stanzas in seven runs on a
            // loaded machine (249 once: more than the budget accounts for, not understood yet); each
            // session's own bound (c2s.maxQueuedStanzas) alone let the old server queue 1,099.
            // Allowed: half of what the per-session bounds allow.
            int bound = FLOODERS * 256 / 2;
            assertThat(maxTotal.get()).as("stanzas the flooders' sessions had queued at most (each alone may queue 256)")
                    .isPositive().isLessThanOrEqualTo(bound);
        } finally {
            sampling.set(false);
            senders.shutdownNow();
            for (RawStreamClient f : flooders) {
                f.drop();
            }
        }
    }
}
