package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.cluster.ClusterTest.waitFor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.parley.testing.MessageInbox;
import org.parley.testing.TcpProxy;

/**
 * A rolling restart meets a session whose connection was lost just before (detached, waiting for
 * its client to resume it): the stopping node hands it over like the connected ones and exits at
 * once, instead of waiting c2s.stopTimeout for an end that nothing would bring (the rolling soak's
 * node that took 30.8 s to stop); the client resumes on another node with what it had missed, once.
 */
class ClusterStopDetachedTest extends ClusterWithNodeA {
    private static final int MESSAGES = 5;

    @Test
    void aStoppingNodeHandsOverADetachedSessionAndExitsWithoutWaitingForIt() throws Exception {
        cluster.createUsers("tove", "ulf");
        ClusterTestNodes.Child child = cluster.child("e", "org.parley.cli.ParleyCli",
                Map.of("PARLEY_C2S_STOP_TIMEOUT", "20s"));
        AtomicInteger backend = new AtomicInteger(child.port());
        List<String> got = new CopyOnWriteArrayList<>();
        String full = "ulf@localhost/phone";
        try (TcpProxy balancer = new TcpProxy(backend::get);
             MessageInbox sender = MessageInbox.login(cluster.clients(a), "tove", "tove-pw", "r")) {
            XMPPTCPConnection ulf = cluster.loginVia(balancer, "ulf", "phone", got);
            sender.sendChat(full, "warm-up");
            waitFor(30, () -> got.contains("warm-up"));

            balancer.cut(); // the client's link is gone: node e keeps its session, detached
            waitFor(30, () -> !ulf.isConnected());
            for (int i = 0; i < MESSAGES; i++) {
                sender.sendChat(full, "m" + i); // queued for the detached session, on node e
            }
            sender.sync();
            Thread.sleep(500);

            backend.set(a.c2sPort()); // out of the balancer, then SIGTERM
            long stopping = System.nanoTime();
            child.process().destroy();
            assertThat(child.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);

            balancer.restore();
            ulf.connect().login();
            assertThat(ulf.streamWasResumed()).as("resumed on the surviving node").isTrue();
            waitFor(30, () -> got.contains("m" + (MESSAGES - 1)));
            Thread.sleep(1000);
            System.out.printf("a node stopping with a detached session: exited after %d ms; received %s%n",
                    stopMillis, got);
            assertThat(stopMillis).as("the stop's duration (c2s.stopTimeout is 20 s)").isLessThan(15_000);
            assertThat(got).containsExactly("warm-up", "m0", "m1", "m2", "m3", "m4");
            ulf.disconnect();
        } finally {
            child.kill();
        }
    }
}
