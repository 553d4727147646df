package org.parley.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Online users send 1:1 chats to random online users at stepped offered rates until the server
 * saturates (delivered below 90% of offered, or p99 above the limit), one bounded step each.
 */
@Command(name = "chat", description = "1:1 chats between online users at stepped offered rates")
class ChatCommand extends Scenario {
    @Option(names = "--users", defaultValue = "1000") int users;
    @Option(names = "--rates", defaultValue = "1000,2500,5000,10000,20000,40000", split = ",") double[] rates;
    @Option(names = "--step-seconds", defaultValue = "15") double stepSeconds;
    @Option(names = "--drain", defaultValue = "3", description = "seconds after each step for late deliveries")
    double drain;
    @Option(names = "--warmup", defaultValue = "5", description = "unrecorded seconds at the first rate") double warmup;
    @Option(names = "--body", defaultValue = "64", description = "body length in bytes") int body;
    @Option(names = "--login-rate", defaultValue = "500") double loginRate;
    @Option(names = "--p99-limit-ms", defaultValue = "1000") double p99LimitMs;
    @Option(names = "--cross-ports", description = "with --ports: every recipient connects to another port than its"
            + " sender (every message crosses cluster nodes)") boolean crossPorts;

    @Override
    String name() {
        return "chat";
    }

    /** Whether every step runs even after the server saturated (the overload scenario). */
    boolean keepGoing() {
        return false;
    }

    @Override
    List<StepResult> run(Fleet fleet, Slice slice, ServerProbe server) throws Exception {
        ChatTraffic traffic = new ChatTraffic(clock, common.target(), rates.length + 1, body);
        fleet.listen(traffic);
        CpuWatch watch = new CpuWatch(slice.first() ? common.watch : java.util.Map.of());
        int[] mine = slice.users(1, users);
        fleet.open(mine, XmppConnection.Mode.LOGIN, loginRate / slice.count(), 120_000_000_000L);
        int loginErrors = mine.length - fleet.online().size();
        slice.await("online", 180_000);
        sleepSeconds(2); // presence broadcasts settle
        XmppConnection[] senders = fleet.online().values().toArray(XmppConnection[]::new);
        if (senders.length == 0) {
            throw new IllegalStateException("no user came online: " + fleet.topFailure());
        }
        if (warmup > 0) {
            send(senders, rates[0] / slice.count(), warmup, 0, traffic);
            sleepSeconds(drain);
        }
        List<Window> windows = new ArrayList<>();
        for (int k = 0; k < rates.length; k++) {
            slice.await("step-" + k, 120_000);
            double rate = rates[k] / slice.count();
            double serverCpu = server.cpuSeconds();
            double genCpu = self.cpuSeconds();
            var watched = watch.start();
            long receivedBefore = traffic.received();
            long t0 = clock.nowNanos();
            long sent = send(senders, rate, stepSeconds, k + 1, traffic);
            double secs = (clock.nowNanos() - t0) / 1e9;
            long inWindow = traffic.received() - receivedBefore;
            Window w = new Window(k + 1, rates[k], secs, sent, inWindow,
                    ServerProbe.percent(serverCpu, server.cpuSeconds(), secs), genCpu(genCpu, secs),
                    watch.describe(watched, secs), server.rssKb());
            windows.add(w);
            sleepSeconds(drain);
            Histogram h = traffic.latency(k + 1);
            double p99 = h.getTotalCount() == 0 ? Double.MAX_VALUE : h.getValueAtPercentile(99) / 1000.0;
            if (inWindow < 0.9 * rate * secs || p99 > p99LimitMs) {
                slice.raise("saturated");
            }
            slice.await("step-end-" + k, 120_000);
            if (!keepGoing() && (slice.raised("saturated")
                    || (slice.count() == 1 && (inWindow < 0.9 * rate * secs || p99 > p99LimitMs)))) {
                break;
            }
        }
        sleepSeconds(1);
        List<StepResult> out = new ArrayList<>();
        for (Window w : windows) {
            String note = w == windows.get(0) && loginErrors > 0 ? loginErrors + " logins failed: " + fleet.topFailure() : "";
            note = (w.watched + " " + note).strip();
            if (traffic.unparsed() > 0 && w == windows.get(windows.size() - 1)) {
                note = (note + " " + traffic.unparsed() + " messages without our body").strip();
            }
            out.add(new StepResult(name(), Report.f(w.offered) + "/s", users, w.offered, w.seconds, w.sent,
                    traffic.delivered(w.step), w.inWindow, fleet.online().size(), fleet.failures(), w.serverCpu,
                    w.genCpu, w.rssKb, -1, note, traffic.latency(w.step)));
        }
        return out;
    }

    /** Sends at {@code rate} for {@code seconds} from random online senders; returns the count sent. */
    private long send(XmppConnection[] senders, double rate, double seconds, int step, ChatTraffic traffic) {
        Ports ports = common.ports();
        long deadline = clock.nowNanos() + (long) (seconds * 1e9);
        return new Pacer(clock).run(rate, Long.MAX_VALUE, deadline, i -> {
            var random = java.util.concurrent.ThreadLocalRandom.current();
            XmppConnection from = senders[random.nextInt(senders.length)];
            from.send(traffic.stanza(ports.peer(from.user(), users, crossPorts, random), step));
            return true;
        });
    }

    private record Window(int step, double offered, double seconds, long sent, long inWindow, double serverCpu,
                          double genCpu, String watched, long rssKb) {
    }
}
