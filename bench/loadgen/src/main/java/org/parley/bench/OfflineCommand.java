package org.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Offline storage and delivery: a few online senders send M messages to each of N offline
 * users; a ping on every sender afterwards marks when the server has processed (stored) them
 * all. Then the recipients log in and the time until all stored messages arrive is measured.
 */
@Command(name = "offline", description = "messages to offline users, then their login and delivery")
final class OfflineCommand extends Scenario {
    @Option(names = "--users", defaultValue = "1000", description = "offline recipients") int users;
    @Option(names = "--messages", defaultValue = "20", description = "messages per recipient") int messages;
    @Option(names = "--senders", defaultValue = "100") int senders;
    @Option(names = "--rate", defaultValue = "5000", description = "offered msgs/s while storing") double rate;
    @Option(names = "--login-rate", defaultValue = "500") double loginRate;
    @Option(names = "--timeout", defaultValue = "60", description = "seconds per phase") double timeout;

    /**
     * What runs once the stored messages are delivered. MAM history paging (XEP-0313) plugs in
     * here when the servers keep archives: page through each recipient's history and record page
     * latency as another step.
     */
    interface AfterDelivery {
        List<StepResult> run(Fleet fleet, int[] recipients) throws Exception;
    }

    private final AfterDelivery afterDelivery = (fleet, recipients) -> List.of();

    @Override
    String name() {
        return "offline";
    }

    @Override
    List<StepResult> run(Fleet fleet, Slice slice, ServerProbe server) throws Exception {
        ChatTraffic traffic = new ChatTraffic(clock, common.target(), 2, 64);
        fleet.listen(traffic);
        int[] mySenders = slice.users(1, senders);
        int[] myRecipients = slice.users(senders + 1, senders + users);
        fleet.open(mySenders, XmppConnection.Mode.LOGIN, loginRate / slice.count(), (long) (timeout * 1e9));
        XmppConnection[] online = fleet.online().values().toArray(XmppConnection[]::new);
        check(online.length > 0, "no sender came online: " + fleet.topFailure());
        slice.await("senders", 120_000);

        // Phase 1: store. Recipients are all users u(S+1)..u(S+N), whichever process they belong to.
        long total = (long) users * messages / slice.count();
        double cpu = server.cpuSeconds();
        long t0 = clock.nowNanos();
        long sent = new Pacer(clock).run(rate / slice.count(), total, t0 + (long) (timeout * 1e9), i -> {
            XmppConnection from = online[ThreadLocalRandom.current().nextInt(online.length)];
            from.send(traffic.stanza(senders + 1 + (int) (i % users), 0));
            return true;
        });
        CountDownLatch acked = new CountDownLatch(online.length);
        fleet.listen(new Acks(traffic, acked));
        for (XmppConnection c : online) {
            c.ping("stored");
        }
        boolean allAcked = acked.await((long) timeout, TimeUnit.SECONDS);
        double storeSecs = (clock.nowNanos() - t0) / 1e9;
        StepResult store = new StepResult(name(), "store", users, rate, storeSecs, sent, allAcked ? sent : 0, 0,
                online.length, (int) acked.getCount(), ServerProbe.percent(cpu, server.cpuSeconds(), storeSecs), -1,
                server.rssKb(), -1, allAcked ? "" : "not all senders answered the ping", StepResult.newHistogram());
        fleet.listen(traffic);
        slice.await("stored", 120_000);

        // Phase 2: recipients log in; the server delivers what it stored.
        long expected = (long) myRecipients.length * messages;
        long receivedBefore = traffic.received();
        long t1 = clock.nowNanos();
        fleet.open(myRecipients, XmppConnection.Mode.LOGIN, loginRate / slice.count(), (long) (timeout * 1e9));
        long deadline = t1 + (long) (timeout * 1e9);
        while (traffic.received() - receivedBefore < expected && clock.nowNanos() < deadline) {
            Thread.sleep(20);
        }
        long got = traffic.received() - receivedBefore;
        double deliverSecs = (clock.nowNanos() - t1) / 1e9;
        List<StepResult> out = new ArrayList<>();
        out.add(store);
        out.add(new StepResult(name(), "deliver", users, loginRate, deliverSecs, expected, got, 0,
                fleet.online().size(), myRecipients.length + online.length - fleet.online().size(), -1, -1,
                server.rssKb(), -1, got < expected ? "missing " + (expected - got) + " (server cap or timeout)" : "",
                traffic.latency(0)));
        out.addAll(afterDelivery.run(fleet, myRecipients));
        return out;
    }

    /** Counts ping answers while still passing messages on. */
    private record Acks(ChatTraffic traffic, CountDownLatch acked) implements XmppConnection.Listener {
        @Override
        public void online(XmppConnection c) {
        }

        @Override
        public void failed(XmppConnection c, String reason) {
        }

        @Override
        public void message(XmppConnection c, String stanza) {
            traffic.message(c, stanza);
        }

        @Override
        public void pong(XmppConnection c) {
            acked.countDown();
        }
    }
}
