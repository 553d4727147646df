package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.ChildServer;
import org.parley.testing.Clients;
import org.parley.testing.MessageInbox;
import org.parley.testing.TestServer;

/**
 * A session waiting for the database waits alone. The server runs in its own JVM with one CPU
 * (as the benchmarks pin it, and as on a one-core VPS), so its virtual threads have one carrier.
 * Another process holds SQLite's write lock for a few seconds, so a message to an offline user
 * waits in SQLite's busy handler, native code that no virtual thread can unmount from: before
 * the store's calls were moved to platform threads ({@code store.sql.StoreThreads}) the carrier
 * waited with it and two other users' chat stopped until the lock was released. Their round
 * trip must stay fast, and the stored message must still reach its recipient.
 */
class SlowStoreTest {
    /** How long the other process holds the write lock (SQLite's busy timeout is 10 s). */
    private static final long LOCK_MILLIS = 5_000;

    @TempDir
    Path dir;

    @Test
    void aSessionWaitingForTheDatabaseDoesNotStopOthersChattingOnOneCpu() throws Exception {
        try (TestServer setup = TestServer.start(dir)) {
            for (String u : List.of("ss_alice", "ss_bob", "ss_carol", "ss_dave")) {
                setup.createUser(u, u + "-pw");
            }
        }
        try (ChildServer child = ChildServer.start(dir, Map.of(), List.of("-XX:ActiveProcessorCount=1"))) {
            Clients clients = child.clients();
            Duration patience = Duration.ofSeconds(20); // a JVM just started, on a loaded machine
            try (MessageInbox alice = MessageInbox.login(clients, "ss_alice", "ss_alice-pw", "a", patience);
                 MessageInbox carol = MessageInbox.login(clients, "ss_carol", "ss_carol-pw", "c", patience);
                 MessageInbox dave = MessageInbox.login(clients, "ss_dave", "ss_dave-pw", "d", patience)) {
                for (int i = 0; i < 20; i++) {
                    carol.chatWith(dave, "warm " + i); // the path compiled and every cache filled
                }
                long during;
                try (Connection lock = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("parley.db"));
                     Statement st = lock.createStatement()) {
                    st.execute("BEGIN IMMEDIATE"); // SQLite's one write lock, held by this process
                    long lockedAt = System.nanoTime();
                    alice.sendChat("ss_bob@localhost", "kept for later"); // offline storage: a write, which waits
                    Thread.sleep(500); // alice's session is in SQLite's busy handler by now
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
                assertThat(during).as("ms for two messages between others while alice's store call waited for "
                        + LOCK_MILLIS + " ms").isLessThan(LOCK_MILLIS / 2);
                alice.sync(); // her session went on once the lock was released
                carol.chatWith(dave, "after");
            }
            try (MessageInbox bob = MessageInbox.login(clients, "ss_bob", "ss_bob-pw", "b", patience)) {
                Message m = bob.next();
                assertThat(m.getBody()).as("the message that waited for the lock was stored").isEqualTo("kept for later");
            }
        }
    }
}
