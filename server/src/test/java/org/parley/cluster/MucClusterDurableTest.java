package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.cluster.MucClusters.login;
import static org.parley.cluster.MucClusters.muc;
import static org.parley.cluster.MucClusters.nick;
import static org.parley.cluster.MucClusters.presenceOf;
import static org.parley.cluster.MucClusters.presences;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.Server;

/**
 * A clustered room sends a message only once it is durable in the archive, without holding the
 * room meanwhile: the wait is outside the room's lock, the commit is asked for at once (not after
 * {@code archive.writeDelay}), and what the room sends keeps the room's order.
 */
class MucClusterDurableTest extends ClusterWithNodeA {
    // archive.writeDelay at its default, 500 ms: before, a clustered room's every message waited that long.
    Server b;

    @BeforeAll
    void startNodeB() {
        b = cluster.start("b");
        cluster.createUsers("alice", "bob", "carol", "dave");
    }

    /** The groupchat messages with a body the room sends, as they come. */
    private static List<Message> collect(MultiUserChat muc) {
        List<Message> seen = new CopyOnWriteArrayList<>();
        muc.addMessageListener(m -> {
            if (m.getBody() != null) {
                seen.add(m);
            }
        });
        return seen;
    }

    /** A room made by {@code owner}, joined by {@code other}, each listening to what the room sends. */
    private record Pair(MultiUserChat ownerRoom, List<Message> atOwner, MultiUserChat otherRoom, List<Message> atOther) {
    }

    private static Pair joined(String room, XMPPTCPConnection owner, String ownerNick, XMPPTCPConnection other,
                               String otherNick) throws Exception {
        BlockingQueue<Presence> seenByOwner = presences(owner, room);
        MultiUserChat ownerRoom = muc(owner, room);
        ownerRoom.create(nick(ownerNick)).makeInstant();
        MultiUserChat otherRoom = muc(other, room);
        otherRoom.join(nick(otherNick));
        presenceOf(seenByOwner, otherNick, false, 10);
        return new Pair(ownerRoom, collect(ownerRoom), otherRoom, collect(otherRoom));
    }

    private static long id(Message m) {
        return Long.parseLong(StanzaIdElement.getStanzaId(m).getId());
    }

    @Test
    void messagesFromOccupantsOnTwoNodesKeepOneOrderAndDoNotWaitOutTheArchiveDelayEach() throws Exception {
        XMPPTCPConnection alice = login(cluster.clients(a), "alice");
        XMPPTCPConnection bob = login(cluster.clients(b), "bob");
        try {
            Pair busy = joined("busy", alice, "Alice", bob, "Bob");
            MultiUserChat roomA = busy.ownerRoom();
            MultiUserChat roomB = busy.otherRoom();
            List<Message> atAlice = busy.atOwner();
            List<Message> atBob = busy.atOther();

            int each = 15;
            long start = System.nanoTime();
            Thread fromB = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < each; i++) {
                    try {
                        roomB.sendMessage("b" + i);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            for (int i = 0; i < each; i++) {
                roomA.sendMessage("a" + i);
            }
            fromB.join();
            MucClusters.eventually(() -> {
                assertThat(atAlice).hasSize(2 * each);
                assertThat(atBob).hasSize(2 * each);
            });
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            List<String> orderA = atAlice.stream().map(Message::getBody).toList();
            List<String> orderB = atBob.stream().map(Message::getBody).toList();
            assertThat(orderB).as("both occupants see the room's one order").isEqualTo(orderA);
            List<String> fromAlice = new ArrayList<>();
            List<String> fromBob = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                fromAlice.add("a" + i);
                fromBob.add("b" + i);
            }
            assertThat(orderA.stream().filter(s -> s.startsWith("a")).toList()).as("Alice's in her order").isEqualTo(fromAlice);
            assertThat(orderA.stream().filter(s -> s.startsWith("b")).toList()).as("Bob's in his order").isEqualTo(fromBob);
            List<Long> ids = atBob.stream().map(MucClusterDurableTest::id).toList();
            assertThat(ids).as("stanza-ids (the archive's order) rise in the order sent").isSorted().doesNotHaveDuplicates();
            // Before, each message waited out the writer's delay under the room's lock: 30 x 500 ms.
            assertThat(tookMs).as("30 messages, each asking for its commit at once").isLessThan(30 * 500 / 3);
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void whileAMessageWaitsForItsCommitTheRoomAnswersOthersAndSendsNothingBeforeIt() throws Exception {
        XMPPTCPConnection carol = login(cluster.clients(a), "carol");
        XMPPTCPConnection dave = login(cluster.clients(b), "dave");
        try (Connection db = DriverManager.getConnection(cluster.databaseUrl())) {
            Pair stalled = joined("stalled", carol, "Carol", dave, "Dave");
            MultiUserChat roomD = stalled.otherRoom();
            List<Message> atCarol = stalled.atOwner();
            List<Message> atDave = stalled.atOther();
            roomD.sendMessage("warm");
            MucClusters.eventually(() -> assertThat(atCarol).hasSize(1));

            // The archive cannot commit while this transaction holds the table (reads still can).
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                s.execute("LOCK TABLE archive IN EXCLUSIVE MODE");
            }
            roomD.sendMessage("held");
            Thread.sleep(300); // the room decided it, and it waits for the archive
            long pinged = System.nanoTime();
            Stanza pong = dave.createStanzaCollectorAndSend(new Ping(dave, JidCreate.from(MucClusters.room("stalled") + "/Dave")))
                    .nextResult(3000);
            long pingMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pinged);
            assertThat(pong).as("the room answers a self-ping while a message waits for its commit").isNotNull();
            assertThat(pong.getError()).isNull();
            assertThat(atCarol).as("nothing sent before it is durable").hasSize(1);
            assertThat(atDave).as("not even reflected").hasSize(1);
            db.rollback();

            MucClusters.eventually(() -> {
                assertThat(atCarol).extracting(Message::getBody).containsExactly("warm", "held");
                assertThat(atDave).extracting(Message::getBody).containsExactly("warm", "held");
            });
            assertThat(pingMs).as("the self-ping's answer took").isLessThan(3000);
        } finally {
            carol.disconnect();
            dave.disconnect();
        }
    }
}
