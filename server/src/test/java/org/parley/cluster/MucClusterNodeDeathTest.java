package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.cluster.MucClusters.login;
import static org.parley.cluster.MucClusters.muc;
import static org.parley.cluster.MucClusters.nick;
import static org.parley.cluster.MucClusters.presenceOf;
import static org.parley.cluster.MucClusters.presences;
import static org.parley.cluster.MucClusters.selfPing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MucEnterConfiguration;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;

/**
 * The node that owns a room is killed (SIGKILL, a child JVM): once its liveness key expired,
 * another node takes the room over on the next stanza, with its occupants on the live nodes still
 * joined (their XEP-0410 self-ping answers), the dead node's occupant leaves, and every message
 * the room had sent back to its sender before or after the kill is in the room's history.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MucClusterNodeDeathTest {
    @TempDir
    static Path dir;
    ClusterTestNodes cluster;
    Server a;
    Server b;

    @BeforeAll
    void start() {
        cluster = ClusterTestNodes.create(dir);
        a = cluster.start("a");
        b = cluster.start("b");
        cluster.createUsers("alice", "bob", "carol", "kim");
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Sends {@code body} and waits a moment for the room to send it back: the room's acknowledgement. */
    private static boolean acknowledged(MultiUserChat room, String body) throws Exception {
        room.sendMessage(body);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            Message m = room.nextMessage(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (m != null && body.equals(m.getBody())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aRoomWhoseOwnerWasKilledIsTakenOverWithItsOccupantsAndEveryAcknowledgedMessage() throws Exception {
        ClusterTestNodes.Child k = cluster.child("k", OwnedEchoService.class.getName(),
                Map.of("PARLEY_CLUSTER_NODE_TTL", "4s"));
        XMPPTCPConnection kim = login(cluster.clients(k), "kim");
        XMPPTCPConnection alice = login(cluster.clients(a), "alice");
        XMPPTCPConnection bob = login(cluster.clients(b), "bob");
        XMPPTCPConnection carol = null;
        try {
            MultiUserChat roomK = muc(kim, "survivors");
            roomK.create(nick("Kim")).makeInstant();
            assertThat(cluster.redis().get(cluster.prefix() + "own:muc:survivors@" + MucClusters.SERVICE)).isEqualTo("k");
            BlockingQueue<Presence> seenByAlice = presences(alice, "survivors");
            MultiUserChat roomA = muc(alice, "survivors");
            roomA.join(nick("Alice"));
            MultiUserChat roomB = muc(bob, "survivors");
            roomB.join(nick("Bob"));
            presenceOf(seenByAlice, "Bob", false, 10);

            List<String> acked = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            int i = 0;
            for (; acked.size() < 5; i++) {
                (acknowledged(roomA, "m" + i) ? acked : refused).add("m" + i);
            }
            k.kill();
            long killed = System.nanoTime();
            int ackedBeforeKill = acked.size();
            // Alice goes on talking: refused (or unanswered) until the room is taken over.
            while (acked.size() < ackedBeforeKill + 5) {
                assertThat(System.nanoTime() - killed).as("the room answers again within the TTL and a few seconds")
                        .isLessThan(TimeUnit.SECONDS.toNanos(30));
                (acknowledged(roomA, "m" + i) ? acked : refused).add("m" + i);
                i++;
            }
            System.out.printf("MucClusterNodeDeathTest: %d acknowledged before the kill, %d after (the last %.1f s"
                            + " after it), %d not acknowledged%n", ackedBeforeKill, acked.size() - ackedBeforeKill,
                    (System.nanoTime() - killed) / 1e9, refused.size());
            assertThat(cluster.redis().get(cluster.prefix() + "own:muc:survivors@" + MucClusters.SERVICE))
                    .as("a live node owns the room").isIn("a", "b");
            selfPing(alice, "survivors", "Alice");
            selfPing(bob, "survivors", "Bob");
            presenceOf(seenByAlice, "Kim", true, 15); // her node died: the room let her go

            carol = login(cluster.clients(b), "carol");
            MultiUserChat roomC = muc(carol, "survivors");
            MucEnterConfiguration enter = roomC.getEnterConfigurationBuilder(nick("Carol"))
                    .requestMaxStanzasHistory(100).build();
            roomC.join(enter);
            List<String> history = new ArrayList<>();
            Message m;
            while ((m = roomC.nextMessage(3000)) != null) {
                if (m.getBody() != null) {
                    history.add(m.getBody());
                }
            }
            assertThat(history).as("every message the room acknowledged, in order").containsSubsequence(acked);
            assertThat(acked).as("history holds only what was sent").containsAll(history.stream()
                    .filter(h -> !refused.contains(h)).toList());
            assertThat(roomC.getOccupants()).as("Alice, Bob and Carol").hasSize(3);
        } finally {
            k.kill();
            alice.disconnect();
            bob.disconnect();
            if (carol != null) {
                carol.disconnect();
            }
        }
    }
}
