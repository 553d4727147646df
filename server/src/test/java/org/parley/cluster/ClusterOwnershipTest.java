package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.testing.MessageInbox;

/**
 * Entity ownership across nodes ({@link org.parley.module.Ownership}): stanzas for an entity
 * reach its owner from any node, and when the owner stops or dies another node takes over and
 * is told to load the entity.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterOwnershipTest {
    @TempDir
    static Path dir;
    ClusterTestNodes cluster;
    Server a;
    Server b;
    final OwnedEchoService echoA = new OwnedEchoService();
    final OwnedEchoService echoB = new OwnedEchoService();

    @BeforeAll
    void start() {
        cluster = ClusterTestNodes.create(dir);
        a = cluster.start("a", Map.of(), List.of(echoA));
        b = cluster.start("b", Map.of(), List.of(echoB));
        // One pair of users per test: a reply read but not acknowledged when a client closes its
        // stream comes again from offline storage (XEP-0198), and must not surprise another test.
        cluster.createUsers("uma", "vic", "wes", "xia", "yan", "zed", "ada", "ben", "cyd");
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private MessageInbox login(Server node, String user, String resource) throws Exception {
        return MessageInbox.login(cluster.clients(node), user, user + "-pw", resource);
    }

    /** Sends to an entity and returns the answer's body: which node answered, in which generation. */
    private static String ask(MessageInbox client, String entity, String body) throws Exception {
        client.sendChat(entity, body);
        Message answer = client.next();
        assertThat(answer.getType()).as("an answer, not an error").isEqualTo(Message.Type.chat);
        assertThat(answer.getFrom().toString()).as(answer.toXML().toString()).isEqualTo(entity);
        return answer.getBody();
    }

    @Test
    void anEntityClaimedOnOneNodeGetsWhatClientsOfAnotherNodeSend() throws Exception {
        try (MessageInbox onA = login(a, "uma", "r"); MessageInbox onB = login(b, "vic", "r")) {
            assertThat(ask(onA, "r1@own.localhost", "first")).isEqualTo("a 1: first");
            assertThat(ask(onB, "r1@own.localhost", "from b")).isEqualTo("a 1: from b");
            assertThat(ask(onB, "r1@own.localhost/nick", "again")).isEqualTo("a 1: again");
            assertThat(echoA.acquired).contains("r1@own.localhost");
            assertThat(echoB.acquired).doesNotContain("r1@own.localhost");
            assertThat(cluster.redis().get(cluster.prefix() + "own:owned-echo:r1@own.localhost")).isEqualTo("a");
        }
    }

    @Test
    void whenTheOwnerStopsAnotherNodeTakesTheEntityOverAtItsNextStanza() throws Exception {
        OwnedEchoService echoC = new OwnedEchoService();
        Server c = cluster.start("c", Map.of(), List.of(echoC));
        try (MessageInbox onB = login(b, "wes", "r")) {
            try (MessageInbox onC = login(c, "xia", "c")) {
                assertThat(ask(onC, "r2@own.localhost", "claim")).isEqualTo("c 1: claim");
            }
            assertThat(ask(onB, "r2@own.localhost", "to c")).isEqualTo("c 1: to c");

            c.close();
            assertThat(ask(onB, "r2@own.localhost", "after the stop")).isEqualTo("b 1: after the stop");
            assertThat(echoB.acquired).contains("r2@own.localhost");
            assertThat(ask(onB, "r2@own.localhost", "and on")).isEqualTo("b 1: and on");
        }
    }

    /**
     * A node that still believes the stopped owner owns the entity (its owner cache is a second
     * old at most) sends there, reaches no node, and finds another node took the entity over
     * meanwhile: the stanza goes on to that node instead of bouncing.
     */
    @Test
    void aStanzaForAnOwnerThatStoppedGoesToTheNodeThatTookItsEntityOver() throws Exception {
        OwnedEchoService echoD = new OwnedEchoService();
        Server d = cluster.start("d", Map.of(), List.of(echoD));
        try (MessageInbox onA = login(a, "ada", "r"); MessageInbox onB = login(b, "ben", "r")) {
            try (MessageInbox onD = login(d, "cyd", "d")) {
                assertThat(ask(onD, "r4@own.localhost", "claim")).isEqualTo("d 1: claim");
            }
            long cached = System.nanoTime();
            assertThat(ask(onA, "r4@own.localhost", "to d")).isEqualTo("d 1: to d"); // a caches d as the owner
            d.close();
            assertThat(ask(onB, "r4@own.localhost", "after the stop")).isEqualTo("b 1: after the stop");
            long sinceCached = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cached);
            assertThat(ask(onA, "r4@own.localhost", "from a")).as("a's cache was %d ms old", sinceCached)
                    .isEqualTo("b 1: from a");
        }
    }

    @Test
    void whenTheOwnerDiesAnotherNodeTakesTheEntityOverOnceItsLivenessExpired() throws Exception {
        ClusterTestNodes.Child k = cluster.child("k", OwnedEchoService.class.getName(),
                Map.of("PARLEY_CLUSTER_NODE_TTL", "4s"));
        try (MessageInbox onB = login(b, "yan", "k")) {
            try (MessageInbox onK = MessageInbox.login(cluster.clients(k), "zed", "zed-pw", "k")) {
                assertThat(ask(onK, "r3@own.localhost", "claim")).isEqualTo("k 1: claim");
            }
            assertThat(ask(onB, "r3@own.localhost", "to k")).isEqualTo("k 1: to k");
            k.kill();
            // Its claim holds until its liveness key expires (at least 2/3 of the TTL from now):
            // no other node may act as owner yet.
            onB.sendChat("r3@own.localhost", "too early");
            Message refused = onB.next();
            assertThat(refused.getType()).isEqualTo(Message.Type.error);
            assertThat(refused.getError().getCondition()).isEqualTo(StanzaError.Condition.recipient_unavailable);
            assertThat(refused.getError().getType()).isEqualTo(StanzaError.Type.WAIT);
            assertThat(echoB.acquired).doesNotContain("r3@own.localhost");

            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (cluster.redis().exists(cluster.prefix() + "n:k:alive") != 0) {
                assertThat(System.nanoTime()).as("k's liveness key expires within its TTL").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(ask(onB, "r3@own.localhost", "after the crash")).isEqualTo("b 1: after the crash");
            assertThat(echoB.acquired).contains("r3@own.localhost");
        } finally {
            k.kill();
        }
    }
}
