package org.parley.cluster;

import org.parley.feature.offline.SqlOfflineStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.cluster.ClusterTest.waitFor;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.XMPPException.StreamErrorException;
import org.jivesoftware.smack.packet.StreamError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.testing.Clients;
import org.parley.testing.MessageInbox;

/** A node that stops cleanly, and a node that is killed with SIGKILL: no message is lost. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterFailoverTest {
    @TempDir
    static Path dir;
    ClusterTestNodes cluster;
    Server a;
    RedisClient redisClient;
    StatefulRedisConnection<String, String> redis;

    @BeforeAll
    void start() {
        cluster = ClusterTestNodes.create(dir);
        a = cluster.start("a");
        for (String u : new String[] {"olga", "paul", "quinn", "rita"}) {
            cluster.createUser(u, u + "-pw");
        }
        redisClient = RedisClient.create(ClusterTestNodes.REDIS);
        redis = redisClient.connect();
    }

    @AfterAll
    void stop() throws Exception {
        if (redis != null) {
            redis.close();
            redisClient.shutdown();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private MessageInbox login(Clients clients, String user, String resource) throws Exception {
        return MessageInbox.login(clients, user, user + "-pw", resource);
    }

    private static BlockingQueue<Exception> closedOnError(MessageInbox client) {
        BlockingQueue<Exception> closed = new ArrayBlockingQueue<>(1);
        client.connection().addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosedOnError(Exception e) {
                closed.add(e);
            }
        });
        return closed;
    }

    private void awaitStored(String user, int count) throws Exception {
        waitFor(() -> new SqlOfflineStore(a.database()).fetch(user, 10).size() == count);
    }

    @Test
    void aCleanlyStoppedNodeEndsItsStreamsAndMessagesToItsUsersGoOffline() throws Exception {
        Server b = cluster.start("b");
        Clients onA = cluster.clients(a);
        MessageInbox quinn = login(cluster.clients(b), "quinn", "r");
        BlockingQueue<Exception> closed = closedOnError(quinn);
        try (MessageInbox rita = login(onA, "rita", "r")) {
            b.close();
            Exception e = closed.poll(5, TimeUnit.SECONDS);
            assertThat(e).isInstanceOf(StreamErrorException.class);
            assertThat(((StreamErrorException) e).getStreamError().getCondition())
                    .isEqualTo(StreamError.Condition.system_shutdown);
            assertThat(redis.sync().exists(cluster.prefix() + "n:b:alive")).isZero();
            assertThat(redis.sync().hlen(cluster.prefix() + "u:quinn@localhost")).isZero();

            rita.sendChat("quinn@localhost", "are you there?");
            awaitStored("quinn", 1);
        }
        try (MessageInbox again = login(onA, "quinn", "r")) {
            assertThat(again.next().getBody()).isEqualTo("are you there?");
        }
    }

    @Test
    void aKilledNodeLosesNoMessageAndItsUsersLogInElsewhereAtOnce() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = cluster.env("k");
        env.put("PARLEY_C2S_PORT", Integer.toString(port));
        env.put("PARLEY_CLUSTER_NODE_TTL", "2s");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.parley.cli.ParleyCli", "start"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("k.log").toFile());
        pb.environment().putAll(env);
        Process child = pb.start();
        try {
            awaitListening(port, child);
            Clients onA = cluster.clients(a);
            MessageInbox olga = login(new Clients(ClusterTestNodes.DOMAIN, () -> port, cluster.trustManager()), "olga", "r");
            try (MessageInbox paul = login(onA, "paul", "r")) {
                paul.sendChat("olga@localhost/r", "before the crash");
                assertThat(olga.next().getBody()).isEqualTo("before the crash");

                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                // The node's liveness key has not expired yet, but nobody listens on its channel.
                paul.sendChat("olga@localhost/r", "right after the crash");
                awaitStored("olga", 1);
                try (MessageInbox back = login(onA, "olga", "r")) {
                    assertThat(back.next().getBody()).isEqualTo("right after the crash");
                }

                waitFor(() -> redis.sync().exists(cluster.prefix() + "n:k:alive") == 0);
                paul.sendChat("olga@localhost", "after its liveness expired");
                awaitStored("olga", 1);
                try (MessageInbox back = login(onA, "olga", "r")) {
                    assertThat(back.next().getBody()).isEqualTo("after its liveness expired");
                }
            }
        } finally {
            child.destroyForcibly();
        }
    }

    private static void awaitListening(int port, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("the child node exited with " + child.exitValue() + "; see k.log");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the child node did not listen on " + port + " within 30s");
    }
}
