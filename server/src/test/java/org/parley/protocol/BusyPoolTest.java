package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.store.RosterItem;
import org.parley.store.StoreException;
import org.parley.store.Subscription;
import org.parley.store.sql.Jdbc;
import org.parley.testing.Clients;
import org.parley.testing.MessageInbox;
import org.parley.testing.PostgresDatabase;
import org.parley.testing.TestServer;

/**
 * A database pool that is busy, not broken: two pooled connections, a 1 s wait for one, and
 * twelve other callers keeping both busy with 250 ms queries, so a call waits about 1.5 s for its
 * turn while PostgreSQL answers all the time (the scale run's 2,000 msgs/s step and its stop,
 * bench/cluster.md). What a client sends then is routed late, not refused; a user who leaves is
 * still seen leaving. Before, every wait past {@code database.connectTimeout} failed: the message
 * whose block-list read or offline write waited came back as {@code internal-server-error}, and
 * the roster read behind a leaving user's unavailable presence failed ("session listener failed"),
 * so the contact saw the user online.
 */
class BusyPoolTest {
    private static final int HOGS = 12;

    @TempDir
    Path dir;

    private PostgresDatabase db;
    private TestServer server;
    private Clients clients;
    private final AtomicBoolean hogging = new AtomicBoolean();
    private final List<Thread> hogs = new ArrayList<>();

    @BeforeEach
    void start() {
        db = PostgresDatabase.create("busypool");
        server = TestServer.start(dir, Map.of(
                "PARLEY_DATABASE_URL", db.url(),
                "PARLEY_DATABASE_POOL_SIZE", "2", // Flyway holds two at once
                "PARLEY_DATABASE_CONNECT_TIMEOUT", "1s"));
        clients = new Clients(server);
        for (String u : new String[] {"alice", "bob", "carol"}) {
            server.createUser(u, u + "-pw");
        }
    }

    @AfterEach
    void stop() throws Exception {
        stopHogs();
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void messagesRoutedWhileThePoolIsBusyAreDeliveredNotBounced() throws Exception {
        try (MessageInbox alice = MessageInbox.login(clients, "alice", "alice-pw", "desk");
             MessageInbox bob = MessageInbox.login(clients, "bob", "bob-pw", "phone")) {
            long waitsBefore = jdbc().longWaits();
            startHogs();
            // The first message between the two: both block lists are read (not cached yet).
            alice.sendChat("bob@localhost", "live while busy");
            // carol is offline: each is written to offline storage.
            for (int i = 1; i <= 3; i++) {
                alice.sendChat("carol@localhost", "offline while busy " + i);
            }
            Message live = bob.poll(Duration.ofSeconds(30));
            assertThat(live).as("bob's message, routed while the pool was busy").isNotNull();
            assertThat(live.getBody()).isEqualTo("live while busy");
            assertThat(awaitSynced(alice)).as("alice's stanzas all routed").isTrue();
            assertThat(jdbc().longWaits() - waitsBefore)
                    .as("waits for a connection past the timeout (else the pool was not busy enough to test anything)")
                    .isPositive();
            stopHogs();
            assertThat(alice.poll(Duration.ofMillis(500))).as("an error bounced to alice").isNull();
        }
        try (MessageInbox carol = MessageInbox.login(clients, "carol", "carol-pw", "tablet")) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                bodies.add(carol.next().getBody());
            }
            assertThat(bodies).containsExactly("offline while busy 1", "offline while busy 2", "offline while busy 3");
        }
    }

    @Test
    void aUserLeavingWhileThePoolIsBusyIsSeenLeaving() throws Exception {
        server.server().stores().roster().put("alice", RosterItem.of("bob@localhost").withSubscription(Subscription.BOTH));
        server.server().stores().roster().put("bob", RosterItem.of("alice@localhost").withSubscription(Subscription.BOTH));
        try (MessageInbox bob = MessageInbox.login(clients, "bob", "bob-pw", "phone")) {
            BlockingQueue<Presence> fromAlice = new LinkedBlockingQueue<>();
            bob.connection().addSyncStanzaListener(p -> fromAlice.add((Presence) p),
                    p -> p instanceof Presence && p.getFrom() != null && p.getFrom().toString().startsWith("alice@"));
            // Without stream management: with it, a lost connection leaves the session waiting for a resumption.
            XMPPTCPConnection alice = new XMPPTCPConnection(clients.builder()
                    .setUsernameAndPassword("alice", "alice-pw").setResource("desk").build());
            alice.setUseStreamManagement(false);
            alice.connect().login();
            Presence online = fromAlice.poll(10, TimeUnit.SECONDS);
            assertThat(online).as("alice's initial presence at bob").isNotNull();
            assertThat(online.getType()).isEqualTo(Presence.Type.available);
            long waitsBefore = jdbc().longWaits();
            startHogs();
            // The session's end reads alice's roster for whom to tell: behind the busy pool.
            alice.instantShutdown();
            Presence left = fromAlice.poll(30, TimeUnit.SECONDS);
            assertThat(left).as("alice's unavailable presence at bob").isNotNull();
            assertThat(left.getType()).isEqualTo(Presence.Type.unavailable);
            assertThat(jdbc().longWaits() - waitsBefore)
                    .as("waits for a connection past the timeout (else the pool was not busy enough to test anything)")
                    .isPositive();
        }
    }

    private Jdbc jdbc() {
        return server.server().database().jdbc();
    }

    /** A ping answered: every stanza sent before has been routed (Smack's own wait is 5 s). */
    private static boolean awaitSynced(MessageInbox client) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            try {
                client.sync();
                return true;
            } catch (Exception | AssertionError e) {
                // the ping itself waited behind the routing: ask again
            }
        }
        return false;
    }

    /**
     * Callers that keep both connections busy and queue for them: each a 250 ms query, again and
     * again, through the server's own pool (a caller of theirs that gives up just asks again).
     */
    private void startHogs() throws InterruptedException {
        hogging.set(true);
        Jdbc jdbc = jdbc();
        for (int i = 0; i < HOGS; i++) {
            hogs.add(Thread.ofVirtual().name("hog-" + i).start(() -> {
                while (hogging.get()) {
                    try {
                        jdbc.read("hog", c -> {
                            try (Statement s = c.createStatement()) {
                                s.execute("SELECT pg_sleep(0.25)");
                            }
                            return null;
                        });
                    } catch (StoreException e) {
                        // the old pool's timeout: queue again
                    }
                }
            }));
        }
        Thread.sleep(1_500); // the queue forms
    }

    private void stopHogs() throws InterruptedException {
        hogging.set(false);
        for (Thread t : hogs) {
            t.join(10_000);
        }
        hogs.clear();
    }
}
