package org.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 12's slow reader: one user (u00001) logs in and never reads its socket while
 * {@code --flooders} users flood it with large messages, and the other users chat among themselves
 * meanwhile. A step of chat alone first (the baseline), then the same chat during the flood. Each
 * row carries the chatters' latency; the flood row's note gives the server's RSS growth over the
 * baseline (its peak, sampled every 250 ms) and how often the victim was dropped and logged in
 * again (it reconnects and stops reading at once, as an attacker would). One process only.
 */
@Command(name = "slowreader", description = "one client never reads while others flood it; others chat meanwhile")
final class SlowReaderCommand extends Scenario {
    @Option(names = "--users", defaultValue = "200", description = "all users: the victim, the flooders, the chatters")
    int users;
    @Option(names = "--flooders", defaultValue = "4") int flooders;
    @Option(names = "--flood-rate", defaultValue = "2000", description = "flood messages per second, all flooders")
    double floodRate;
    @Option(names = "--flood-body", defaultValue = "4096", description = "flood message body bytes") int floodBody;
    @Option(names = "--rate", defaultValue = "200", description = "chat messages per second among the chatters")
    double rate;
    @Option(names = "--seconds", defaultValue = "60", description = "length of each step (baseline, flood)")
    double seconds;
    @Option(names = "--drain", defaultValue = "3") double drain;
    @Option(names = "--login-rate", defaultValue = "200") double loginRate;

    private static final int VICTIM = 1;

    @Override
    String name() {
        return "slowreader";
    }

    @Override
    List<StepResult> run(Fleet fleet, Slice slice, ServerProbe server) throws Exception {
        check(slice.count() == 1, "slowreader runs in one process");
        check(users > flooders + 3, "--users must leave at least two chatters");
        ChatTraffic traffic = new ChatTraffic(clock, common.target(), 3, 64);
        fleet.listen(traffic);
        int[] everyone = slice.users(1, users);
        fleet.open(everyone, XmppConnection.Mode.LOGIN, loginRate, 120_000_000_000L);
        check(fleet.online().containsKey(VICTIM), "the victim did not log in: " + fleet.topFailure());
        sleepSeconds(2);
        List<XmppConnection> chatters = new ArrayList<>();
        List<XmppConnection> flood = new ArrayList<>();
        for (var e : fleet.online().entrySet()) {
            if (e.getKey() == VICTIM) {
                continue;
            }
            (e.getKey() <= flooders + 1 ? flood : chatters).add(e.getValue());
        }
        XmppConnection[] chat = chatters.toArray(XmppConnection[]::new);
        int firstChatter = flooders + 2;

        // Baseline: the chat alone.
        send(chat, firstChatter, seconds, 1, traffic, null, 0);
        sleepSeconds(drain);
        long rssBefore = server.rssKb();

        // The victim stops reading; the flood starts; the chat goes on.
        fleet.online().get(VICTIM).stopReading();
        AtomicLong peak = new AtomicLong(rssBefore);
        AtomicLong reconnects = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(server.rssKb(), Math::max);
                XmppConnection v = fleet.online().get(VICTIM);
                if (v != null) {
                    // A whitespace keepalive: not reading, the victim learns its connection was
                    // closed only when a write to it fails.
                    v.send(" ");
                }
                if (v == null || !v.isOnline()) {
                    // Dropped by the server: log in again and stop reading at once.
                    reconnects.incrementAndGet();
                    try {
                        fleet.open(new int[] {VICTIM}, XmppConnection.Mode.LOGIN, 100, 10_000_000_000L);
                        XmppConnection again = fleet.online().get(VICTIM);
                        if (again != null) {
                            again.stopReading();
                        }
                    } catch (InterruptedException ex) {
                        return;
                    }
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException ex) {
                    return;
                }
            }
        });
        double cpu = server.cpuSeconds();
        long t0 = clock.nowNanos();
        long flooded = send(chat, firstChatter, seconds, 2, traffic, flood.toArray(XmppConnection[]::new), floodRate);
        double secs = (clock.nowNanos() - t0) / 1e9;
        double floodCpu = ServerProbe.percent(cpu, server.cpuSeconds(), secs);
        sleepSeconds(drain);
        sampler.interrupt();
        sampler.join();
        long rssAfter = server.rssKb();
        long heap = server.heapAfterGcKb();

        List<StepResult> out = new ArrayList<>();
        int chatUsers = chat.length;
        out.add(row("baseline", chatUsers, 1, traffic, server, rssBefore, -1, "chat alone", -1));
        String note = String.format("flood %.0f/s x %d B from %d users, %d sent; server RSS %d MB before, peak %d MB"
                        + " (+%d MB), %d MB after; victim dropped and back %d times", floodRate, floodBody, flood.size(),
                flooded, rssBefore / 1024, peak.get() / 1024, (peak.get() - rssBefore) / 1024, rssAfter / 1024,
                reconnects.get());
        out.add(row("flood", chatUsers, 2, traffic, server, rssAfter, heap, note, floodCpu));
        System.out.println("SLOWREADER rss_before_mb=" + rssBefore / 1024 + " rss_peak_mb=" + peak.get() / 1024
                + " growth_mb=" + (peak.get() - rssBefore) / 1024 + " baseline_p99_ms="
                + p99(traffic.latency(1)) + " flood_p99_ms=" + p99(traffic.latency(2)) + " reconnects=" + reconnects.get());
        return out;
    }

    private StepResult row(String step, int chatUsers, int k, ChatTraffic traffic, ServerProbe server, long rss,
                           long heap, String note, double cpu) {
        return new StepResult(name(), step, chatUsers, rate, seconds, (long) (rate * seconds), traffic.delivered(k),
                traffic.delivered(k), chatUsers, 0, cpu, -1, rss, heap, note, traffic.latency(k));
    }

    private static String p99(Histogram h) {
        return h.getTotalCount() == 0 ? "n/a" : String.format("%.1f", h.getValueAtPercentile(99) / 1000.0);
    }

    /**
     * Chat among the chatters at {@code rate} for {@code seconds}, and, with flooders, the flood to
     * the victim at {@code floodRate} in the same loop. Returns the flood messages sent.
     */
    private long send(XmppConnection[] chat, int firstChatter, double seconds, int step, ChatTraffic traffic,
                      XmppConnection[] flood, double floodRate) throws javax.net.ssl.SSLException {
        String victim = common.target().jid(VICTIM);
        String pad = "f".repeat(Math.max(1, floodBody));
        long deadline = clock.nowNanos() + (long) (seconds * 1e9);
        AtomicLong flooded = new AtomicLong();
        Thread flooding = null;
        if (flood != null && flood.length > 0) {
            flooding = Thread.ofPlatform().start(() -> flooded.set(new Pacer(clock).run(floodRate, Long.MAX_VALUE,
                    deadline, i -> {
                        flood[(int) (i % flood.length)].send("<message to='" + victim + "' type='chat'><body>" + i
                                + " " + pad + "</body></message>");
                        return true;
                    })));
        }
        new Pacer(clock).run(rate, Long.MAX_VALUE, deadline, i -> {
            var random = ThreadLocalRandom.current();
            XmppConnection from = chat[random.nextInt(chat.length)];
            int to;
            do {
                to = firstChatter + random.nextInt(users - firstChatter + 1);
            } while (to == from.user());
            from.send(traffic.stanza(to, step));
            return true;
        });
        if (flooding != null) {
            try {
                flooding.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return flooded.get();
    }
}
