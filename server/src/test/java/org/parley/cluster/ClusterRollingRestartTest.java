package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.cluster.ClusterTest.waitFor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.testing.MessageInbox;

/**
 * A rolling restart under traffic: a node stopped with SIGTERM (as {@code ./parley stop} does)
 * ends its streams with system-shutdown, its client reconnects to another node, and every
 * message sent meanwhile reaches it, live before the stop or offline at the new login.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterRollingRestartTest {
    private static final int MESSAGES = 300;
    private static final int KILL_AFTER = 100;
    @TempDir
    static Path dir;
    ClusterTestNodes cluster;
    Server a;

    @BeforeAll
    void start() {
        cluster = ClusterTestNodes.create(dir);
        a = cluster.start("a");
        for (String u : new String[] {"hank", "ivy"}) {
            cluster.createUser(u, u + "-pw");
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void noMessageSentAroundACleanStopIsLost() throws Exception {
        ClusterTestNodes.Child child = cluster.child("s", "org.parley.cli.ParleyCli",
                Map.of("PARLEY_CLUSTER_NODE_TTL", "2s"));
        Set<String> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (MessageInbox hank = MessageInbox.login(cluster.clients(a), "hank", "hank-pw", "r")) {
            MessageInbox ivy = MessageInbox.login(cluster.clients(child), "ivy", "ivy-pw", "r");
            ivy.connection().addSyncStanzaListener(s -> live.add(((Message) s).getBody()), s -> s instanceof Message);
            hank.sendChat("ivy@localhost/r", "warm-up");
            waitFor(() -> live.contains("warm-up"));
            live.clear();

            AtomicInteger sent = new AtomicInteger();
            Thread killer = Thread.ofPlatform().start(() -> {
                try {
                    while (sent.get() < KILL_AFTER) {
                        Thread.sleep(1);
                    }
                    child.process().destroy(); // SIGTERM
                    child.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < MESSAGES; i++) {
                // Half to the full JID, half to the bare JID: both routes to a resource.
                hank.sendChat(i % 2 == 0 ? "ivy@localhost/r" : "ivy@localhost", "m" + i);
                sent.incrementAndGet();
                Thread.sleep(2);
            }
            // Every message accepted by the server (a loaded machine may take a while to store them).
            org.jivesoftware.smackx.ping.PingManager.getInstanceFor(hank.connection()).pingMyServer(true, 60_000);
            killer.join();
            // The stopped node left the directory and the member set itself.
            assertThat(cluster.redis().hlen(cluster.prefix() + "u:ivy@localhost")).isZero();
            assertThat(cluster.redis().hexists(cluster.prefix() + "nodes", "k")).isFalse();
            Set<String> liveSeen = new HashSet<>(live);

            Set<String> offline = new HashSet<>();
            int[] duplicates = {0};
            try (MessageInbox back = MessageInbox.login(cluster.clients(a), "ivy", "ivy-pw", "r")) {
                Message m;
                while ((m = back.poll(Duration.ofSeconds(2))) != null) {
                    if (!offline.add(m.getBody())) {
                        duplicates[0]++;
                    }
                }
            }
            Set<String> missing = new TreeSet<>();
            int both = 0;
            for (int i = 0; i < MESSAGES; i++) {
                String body = "m" + i;
                if (!liveSeen.contains(body) && !offline.contains(body)) {
                    missing.add(body);
                }
                if (liveSeen.contains(body) && offline.contains(body)) {
                    both++;
                }
            }
            System.out.printf("rolling restart: %d sent, %d live, %d offline (%d seen live too), %d lost%n",
                    MESSAGES, liveSeen.size(), offline.size(), both, missing.size());
            assertThat(missing).as("messages neither delivered live nor stored offline").isEmpty();
            assertThat(duplicates[0]).as("offline copies of one message").isZero();
        } finally {
            child.kill();
        }
    }
}
