package org.parley.cluster;

import org.parley.feature.offline.SqlOfflineStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.cluster.ClusterTest.waitFor;

import java.nio.file.Path;
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

    @BeforeAll
    void start() {
        cluster = ClusterTestNodes.create(dir);
        a = cluster.start("a");
        cluster.createUsers("olga", "paul", "quinn", "rita");
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private MessageInbox login(Clients clients, String user, String resource) throws Exception {
        return MessageInbox.login(clients, user, user + "-pw", resource);
    }

    private static BlockingQueue<Exception> closedOnError(org.jivesoftware.smack.tcp.XMPPTCPConnection client) {
        BlockingQueue<Exception> closed = new ArrayBlockingQueue<>(1);
        client.addConnectionListener(new ConnectionListener() {
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
        // A client that did not ask for resumption (XEP-0198): its stream ends with system-shutdown.
        // (A resumable session is handed over instead: ClusterResumeAnywhereTest.)
        org.jivesoftware.smack.tcp.XMPPTCPConnection quinn = new org.jivesoftware.smack.tcp.XMPPTCPConnection(
                cluster.clients(b).builder().setUsernameAndPassword("quinn", "quinn-pw").setResource("r").build());
        quinn.setUseStreamManagementResumption(false);
        BlockingQueue<Exception> closed = closedOnError(quinn);
        quinn.connect().login();
        try (MessageInbox rita = login(onA, "rita", "r")) {
            b.close();
            Exception e = closed.poll(5, TimeUnit.SECONDS);
            assertThat(e).isInstanceOf(StreamErrorException.class);
            assertThat(((StreamErrorException) e).getStreamError().getCondition())
                    .isEqualTo(StreamError.Condition.system_shutdown);
            assertThat(cluster.redis().exists(cluster.prefix() + "n:b:alive")).isZero();
            assertThat(cluster.redis().hlen(cluster.prefix() + "u:quinn@localhost")).isZero();

            rita.sendChat("quinn@localhost", "are you there?");
            awaitStored("quinn", 1);
        }
        try (MessageInbox again = login(onA, "quinn", "r")) {
            assertThat(again.next().getBody()).isEqualTo("are you there?");
        }
    }

    @Test
    void aKilledNodeLosesNoMessageAndItsUsersLogInElsewhereAtOnce() throws Exception {
        ClusterTestNodes.Child child = cluster.child("k", "org.parley.cli.ParleyCli",
                Map.of("PARLEY_CLUSTER_NODE_TTL", "2s"));
        try {
            Clients onA = cluster.clients(a);
            MessageInbox olga = login(cluster.clients(child), "olga", "r");
            try (MessageInbox paul = login(onA, "paul", "r")) {
                paul.sendChat("olga@localhost/r", "before the crash");
                assertThat(olga.next().getBody()).isEqualTo("before the crash");

                child.kill();
                // The node's liveness key has not expired yet, but nobody listens on its channel.
                paul.sendChat("olga@localhost/r", "right after the crash");
                awaitStored("olga", 1);
                try (MessageInbox back = login(onA, "olga", "r")) {
                    assertThat(back.next().getBody()).isEqualTo("right after the crash");
                }

                waitFor(() -> cluster.redis().exists(cluster.prefix() + "n:k:alive") == 0);
                paul.sendChat("olga@localhost", "after its liveness expired");
                awaitStored("olga", 1);
                try (MessageInbox back = login(onA, "olga", "r")) {
                    assertThat(back.next().getBody()).isEqualTo("after its liveness expired");
                }
            }
        } finally {
            child.kill();
        }
    }
}
