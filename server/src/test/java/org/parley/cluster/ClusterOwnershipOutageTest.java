package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
 * An owner that loses Redis acts as owner only while its liveness lease lasts, then lets its
 * entities go (the module is told); once Redis is back the entity is claimed and loaded again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterOwnershipOutageTest {
    @TempDir
    static Path dir;
    ClusterTestNodes cluster;
    PrivateRedis redis;
    Server a;
    Server b;
    final OwnedEchoService echoA = new OwnedEchoService();
    final OwnedEchoService echoB = new OwnedEchoService();

    @BeforeAll
    void start() throws Exception {
        cluster = ClusterTestNodes.create(dir);
        redis = PrivateRedis.start(dir);
        Map<String, String> env = Map.of("PARLEY_CLUSTER_REDIS_URL", redis.url(), "PARLEY_CLUSTER_NODE_TTL", "3s");
        a = cluster.start("a", env, List.of(echoA));
        b = cluster.start("b", env, List.of(echoB));
        cluster.createUser("ann", "ann-pw");
        cluster.createUser("ben", "ben-pw");
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static void within(long seconds, String what, BooleanSupplier check) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!check.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + seconds + "s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /**
     * Asks r9 until it answers. Until a node has renewed its liveness in the restarted Redis it
     * answers {@code recipient-unavailable}, type wait, which says exactly that: try again. And
     * until a node's pub/sub connection has subscribed again, what is sent to it over the bus
     * goes to offline storage (as in {@link ClusterRedisOutageTest}): no answer comes live.
     */
    private static String askUntilAnswered(MessageInbox client, String body) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            client.sendChat("r9@own.localhost", body);
            Message answer = client.poll(Duration.ofSeconds(1));
            if (answer != null && answer.getType() != Message.Type.error) {
                return answer.getBody();
            }
            if (answer != null) {
                assertThat(answer.getError().getCondition()).isEqualTo(StanzaError.Condition.recipient_unavailable);
            }
            assertThat(System.nanoTime()).as("an answer once Redis is back").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void anOwnerWithoutRedisLetsItsEntitiesGoWhenItsLeaseEndsAndClaimsThemAgainAfter() throws Exception {
        try (MessageInbox ann = MessageInbox.login(cluster.clients(a), "ann", "ann-pw", "r");
             MessageInbox ben = MessageInbox.login(cluster.clients(b), "ben", "ben-pw", "r")) {
            ann.sendChat("r9@own.localhost", "claim");
            assertThat(ann.next().getBody()).isEqualTo("a 1: claim");

            redis.kill();
            // Within its lease the owner goes on: its key cannot have expired yet.
            ann.sendChat("r9@own.localhost", "still mine");
            assertThat(ann.next().getBody()).isEqualTo("a 1: still mine");

            within(10, "the module told it lost the entity", () -> echoA.lost.contains("r9@own.localhost"));
            ann.sendChat("r9@own.localhost", "nobody can tell");
            Message refused = ann.next();
            assertThat(refused.getType()).isEqualTo(Message.Type.error);
            assertThat(refused.getError().getCondition()).isEqualTo(StanzaError.Condition.recipient_unavailable);

            redis.restart(); // empty: no claim survives
            // The node that routes the first stanza after the outage claims it, and loads it again.
            assertThat(askUntilAnswered(ann, "back")).isEqualTo("a 2: back");
            assertThat(echoA.acquired).containsExactly("r9@own.localhost", "r9@own.localhost");
            assertThat(askUntilAnswered(ben, "from b")).isEqualTo("a 2: from b");
            assertThat(echoB.acquired).isEmpty();
        }
    }
}
