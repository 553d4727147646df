package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.junit.jupiter.api.Test;
import org.parley.feature.offline.SqlOfflineStore;
import org.parley.testing.Clients;
import org.parley.testing.TcpProxy;

/**
 * docs/cluster.md's upgrade procedure under load: clients behind a balancer on three nodes chat
 * across nodes while the two child-process nodes are taken out of the balancer, stopped with
 * SIGTERM and started again, one after the other, twice over. Every message a client sent and the
 * server acknowledged (XEP-0198) arrives exactly once: live, or on the stream resumed on another
 * node, or (for one whose resumption failed) from offline storage at its new binding.
 */
class ClusterRollingRestartTest extends ClusterWithNodeA {
    private static final int CLIENTS = 6;
    private static final int ROUNDS = 2;
    private static final long SEND_EVERY_MILLIS = 10;

    /** Node ids in the balancer, and their ports. */
    private final Map<String, Integer> inService = new ConcurrentHashMap<>();
    private final Map<String, ClusterTestNodes.Child> children = new ConcurrentHashMap<>();

    @Test
    void everyMessageArrivesExactlyOnceThroughTwoRoundsOfRollingRestarts() throws Exception {
        String[] users = new String[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            users[i] = "roll" + i;
        }
        cluster.createUsers(users);
        inService.put("a", a.c2sPort());
        for (String id : List.of("b", "c")) {
            startChild(id);
        }
        List<Client> clients = new ArrayList<>();
        List<TcpProxy> balancers = new ArrayList<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        try {
            String[] homes = {"a", "b", "c"};
            for (int i = 0; i < CLIENTS; i++) {
                String home = homes[i % homes.length];
                TcpProxy balancer = new TcpProxy(() -> backend(home));
                balancers.add(balancer);
                clients.add(new Client(i, users[i], new Clients(ClusterTestNodes.DOMAIN, balancer::port,
                        cluster.trustManager())));
            }
            for (Client c : clients) {
                c.login();
            }
            Traffic traffic = new Traffic(clients, sending);
            Thread sender = Thread.ofPlatform().name("rolling-sender").start(traffic);
            Thread keeper = Thread.ofPlatform().name("rolling-reconnect").start(() -> reconnect(clients, sending));
            Thread.sleep(2000);
            for (int round = 1; round <= ROUNDS; round++) {
                for (String id : List.of("b", "c")) {
                    restart(id);
                    Thread.sleep(3000);
                }
            }
            Thread.sleep(2000);
            sending.set(false);
            sender.join();
            // Everyone connected again, every sent message acknowledged by the server.
            ClusterTest.waitFor(90, () -> clients.stream().allMatch(c -> c.connection.isAuthenticated()));
            keeper.interrupt();
            keeper.join();
            for (Client c : clients) {
                c.connection.requestSmAcknowledgement();
            }
            ClusterTest.waitFor(60, () -> traffic.sent.stream().allMatch(traffic.acked::contains));
            ClusterTest.waitFor(60, () -> traffic.acked.stream().allMatch(k -> traffic.count(k) > 0));
            Thread.sleep(3000); // anything arriving twice arrives now
            List<Integer> lost = traffic.acked.stream().filter(k -> traffic.count(k) == 0).sorted().toList();
            List<String> twice = new ArrayList<>();
            for (Client c : clients) {
                Map<Integer, List<String>> byBody = new java.util.TreeMap<>();
                for (String[] r : c.received) {
                    byBody.computeIfAbsent(Integer.parseInt(r[0]), k -> new ArrayList<>()).add(r[1]);
                }
                byBody.forEach((k, ids) -> {
                    if (ids.size() > 1) {
                        twice.add(c.user + " m" + k + " stanza-ids " + ids);
                    }
                });
            }
            int resumed = clients.stream().mapToInt(c -> c.resumptions.get()).sum();
            int fresh = clients.stream().mapToInt(c -> c.bindings.get()).sum();
            System.out.printf("rolling restarts: %d sent, %d acknowledged, %d lost, %d twice; %d resumptions, "
                    + "%d fresh bindings%n", traffic.sent.size(), traffic.acked.size(), lost.size(), twice.size(),
                    resumed, fresh);
            assertThat(lost).as("acknowledged by the server, never received").isEmpty();
            assertThat(twice).as("received more than once").isEmpty();
            // Each restart moves the clients it holds: 2, then 4 (b's and c's) at each of the next three.
            assertThat(resumed + fresh).as("reconnections").isGreaterThanOrEqualTo(8);
            assertThat(resumed).as("sessions resumed on another node").isGreaterThan(0);
            SqlOfflineStore offline = new SqlOfflineStore(a.database());
            for (String u : users) {
                assertThat(offline.count(u)).as("left in offline storage for " + u).isZero();
            }
        } finally {
            sending.set(false);
            for (Client c : clients) {
                // A clean end (not a lost connection): no session waits for a resumption that
                // would hold node a's stop for c2s.stopTimeout.
                c.connection.disconnect();
            }
            for (TcpProxy b : balancers) {
                b.close();
            }
            for (ClusterTestNodes.Child c : children.values()) {
                c.kill();
            }
        }
    }

    /**
     * The node a client's new connection reaches: its home while in service, else the other child
     * node (so the next restart finds it there: every restart moves clients), else a.
     */
    private int backend(String home) {
        for (String id : List.of(home, "b", "c", "a")) {
            Integer port = inService.get(id);
            if (port != null) {
                return port;
            }
        }
        return 1;
    }

    private void startChild(String id) throws Exception {
        ClusterTestNodes.Child child = cluster.child(id, "org.parley.cli.ParleyCli", Map.of());
        children.put(id, child);
        inService.put(id, child.port());
    }

    /** Out of the balancer, SIGTERM, wait for the exit, start again, back in the balancer. */
    private void restart(String id) throws Exception {
        ClusterTestNodes.Child child = children.remove(id);
        inService.remove(id);
        child.process().destroy(); // SIGTERM
        assertThat(child.process().waitFor(60, TimeUnit.SECONDS)).as(id + " exits by itself after SIGTERM").isTrue();
        startChild(id);
    }

    /** Keeps every client connected: a client whose node stopped reconnects through its balancer and resumes. */
    private static void reconnect(List<Client> clients, AtomicBoolean sending) {
        while (!Thread.currentThread().isInterrupted()) {
            for (Client c : clients) {
                if (!c.connection.isConnected()) {
                    try {
                        c.connection.connect().login();
                        if (c.connection.streamWasResumed()) {
                            c.resumptions.incrementAndGet();
                        } else {
                            c.bindings.incrementAndGet();
                        }
                    } catch (Exception e) {
                        // the node it reached is going away too: the next round tries again
                        c.connection.instantShutdown();
                    }
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static final class Client {
        final int index;
        final String user;
        final XMPPTCPConnection connection;
        /** Body number and XEP-0359 stanza-id of each message received, in order. */
        final List<String[]> received = new CopyOnWriteArrayList<>();
        final AtomicInteger resumptions = new AtomicInteger();
        final AtomicInteger bindings = new AtomicInteger();

        Client(int index, String user, Clients clients) throws Exception {
            this.index = index;
            this.user = user;
            connection = new XMPPTCPConnection(clients.builder()
                    .setUsernameAndPassword(user, user + "-pw")
                    .setResource("phone")
                    .build());
            connection.setReplyTimeout(30_000);
            connection.addSyncStanzaListener(s -> {
                Message m = (Message) s;
                String body = m.getBody();
                if (body != null && body.startsWith("m")) {
                    StanzaIdElement sid = StanzaIdElement.getStanzaId(m);
                    received.add(new String[] {body.substring(1), sid == null ? "none" : sid.getId()});
                }
            }, s -> s instanceof Message);
        }

        void login() throws Exception {
            connection.connect().login();
        }

        String bare() {
            return user + "@" + ClusterTestNodes.DOMAIN;
        }
    }

    /** Each client in turn sends a numbered message to the next client (another home node). */
    private static final class Traffic implements Runnable {
        final List<Client> clients;
        final AtomicBoolean sending;
        /** Message number to its recipient's index. */
        final Map<Integer, Integer> recipient = new ConcurrentHashMap<>();
        /** The numbers whose send went through. */
        final Set<Integer> sent = ConcurrentHashMap.newKeySet();
        final Set<Integer> acked = ConcurrentHashMap.newKeySet();

        Traffic(List<Client> clients, AtomicBoolean sending) {
            this.clients = clients;
            this.sending = sending;
            for (Client c : clients) {
                c.connection.addStanzaAcknowledgedListener(s -> {
                    if (s instanceof Message m && m.getBody() != null && m.getBody().startsWith("m")) {
                        acked.add(Integer.parseInt(m.getBody().substring(1)));
                    }
                });
            }
        }

        int count(int k) {
            Client to = clients.get(recipient.get(k));
            int n = 0;
            for (String[] r : to.received) {
                if (r[0].equals(Integer.toString(k))) {
                    n++;
                }
            }
            return n;
        }

        @Override
        public void run() {
            int k = 0;
            int i = 0;
            while (sending.get()) {
                Client from = clients.get(i++ % clients.size());
                Client to = clients.get((from.index + 1) % clients.size());
                if (from.connection.isAuthenticated()) {
                    // Numbered whether or not the send goes through: a message Smack queued before
                    // throwing may still go out, and is counted by number at its recipient.
                    int number = k++;
                    try {
                        Message m = from.connection.getStanzaFactory().buildMessageStanza()
                                .to(to.bare() + "/phone").ofType(Message.Type.chat).setBody("m" + number).build();
                        recipient.put(number, to.index);
                        from.connection.sendStanza(m);
                        sent.add(number);
                    } catch (Exception e) {
                        // not sent (its connection went away): it counts only if it was acknowledged
                    }
                }
                try {
                    Thread.sleep(SEND_EVERY_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
