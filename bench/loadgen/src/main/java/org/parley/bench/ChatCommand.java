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
    @Option(names = "--login-timeout", defaultValue = "120", description = "seconds allowed for all the logins")
    double loginTimeout;
    @Option(names = "--login-retries", defaultValue = "0", description = "log in again, this many times, the users"
            + " whose login failed (e.g. the server timed out on its database while thousands logged in), so that"
            + " messages to them are not counted as lost; the failures are still reported") int loginRetries;
    @Option(names = "--memory", description = "sample the server's RSS and heap after GC before the logins and after"
            + " them (idle, before any chat): rows 'sessions' N=0 and N=<users>, whose slope is the memory per session;"
            + " the note has each --watch process's figures") boolean memory;
    @Option(names = "--report-warmup", description = "report the warm-up as a row of its own (step 'warmup'), so that"
            + " every message sent is counted") boolean reportWarmup;
    @Option(names = "--timeline", description = "write each second's deliveries, those over --timeline-ms and the"
            + " longest, by send time, to this file at the end (when a step's tail happened)") java.nio.file.Path timelineFile;
    @Option(names = "--timeline-ms", defaultValue = "20") long timelineMs;

    @Override
    String name() {
        return "chat";
    }

    @Option(names = "--all-steps", description = "run every step even after the server saturated") boolean allSteps;

    /** Whether every step runs even after the server saturated (the overload scenario, --all-steps). */
    boolean keepGoing() {
        return allSteps;
    }

    @Override
    List<StepResult> run(Fleet fleet, Slice slice, ServerProbe server) throws Exception {
        ChatTraffic traffic = new ChatTraffic(clock, common.target(), rates.length + 1, body);
        fleet.listen(traffic);
        LatencyTimeline timeline = timelineFile == null ? null : new LatencyTimeline(clock.nowNanos(), timelineMs * 1000);
        traffic.timeline(timeline);
        CpuWatch watch = new CpuWatch(slice.first() ? common.watch : java.util.Map.of());
        int[] mine = slice.users(1, users);
        List<StepResult> out = new ArrayList<>();
        if (memory) {
            // slice 0 samples while no process has logged in: the others wait at the barrier
            out.add(memoryRow(0, fleet, slice, server));
            slice.await("idle-sampled", 300_000);
        }
        fleet.open(mine, XmppConnection.Mode.LOGIN, loginRate / slice.count(), (long) (loginTimeout * 1e9));
        int loginErrors = mine.length - fleet.online().size();
        for (int r = 0; r < loginRetries && fleet.online().size() < mine.length; r++) {
            int[] missing = java.util.Arrays.stream(mine).filter(u -> !fleet.online().containsKey(u)).toArray();
            fleet.open(missing, XmppConnection.Mode.LOGIN, loginRate / slice.count(), (long) (loginTimeout * 1e9));
        }
        slice.await("online", (long) (loginTimeout * 1000) + 60_000);
        sleepSeconds(2); // presence broadcasts settle
        if (memory) {
            out.add(memoryRow(users, fleet, slice, server));
            slice.await("sessions-sampled", 300_000);
        }
        XmppConnection[] senders = fleet.online().values().toArray(XmppConnection[]::new);
        if (senders.length == 0) {
            throw new IllegalStateException("no user came online: " + fleet.topFailure());
        }
        List<Window> windows = new ArrayList<>();
        if (warmup > 0) {
            long t0 = clock.nowNanos();
            long sent = send(senders, rates[0] / slice.count(), warmup, 0, traffic);
            if (reportWarmup) {
                windows.add(new Window(0, rates[0], (clock.nowNanos() - t0) / 1e9, sent, -1, -1, -1, "warm-up", -1));
            }
            sleepSeconds(drain);
        }
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
        if (timeline != null) {
            timeline.write(slice.count() == 1 ? timelineFile : timelineFile.resolveSibling(timelineFile.getFileName() + "." + slice.index()));
        }
        for (Window w : windows) {
            String note = w == windows.get(0) && loginErrors > 0 ? loginErrors + " logins failed"
                    + (loginRetries > 0 ? " (" + (mine.length - fleet.online().size()) + " after retries)" : "")
                    + ": " + fleet.topFailure() : "";
            note = (w.watched + " " + note).strip();
            if (traffic.unparsed() > 0 && w == windows.get(windows.size() - 1)) {
                note = (note + " " + traffic.unparsed() + " messages without our body").strip();
            }
            if (traffic.bounced() > 0 && w == windows.get(windows.size() - 1)) {
                note = (note + " " + traffic.bounced() + " bounced with an error (counted lost)").strip();
            }
            String label = (w.step == 0 ? "warmup " : "") + Report.f(w.offered) + "/s";
            out.add(new StepResult(name(), label, users, w.offered, w.seconds, w.sent,
                    traffic.delivered(w.step), Math.max(0, w.inWindow), fleet.online().size(), fleet.failures(), w.serverCpu,
                    w.genCpu, w.rssKb, -1, note, traffic.latency(w.step)));
        }
        return out;
    }

    /**
     * A "sessions" row at {@code n} sessions: the server's RSS and heap after GC (slice 0 samples,
     * the others carry -1 and their count of online users, which the merge adds up), and each
     * watched process's own figures in the note, so that a cluster's nodes and Redis show apart.
     */
    private StepResult memoryRow(int n, Fleet fleet, Slice slice, ServerProbe server) {
        long rss = -1;
        long heap = -1;
        String note = "";
        if (slice.first()) {
            note = common.watch.entrySet().stream().map(e -> {
                ServerProbe p = new ServerProbe(e.getValue());
                long h = p.heapAfterGcKb();
                return e.getKey() + " rss " + (p.rssKb() / 1024) + " MB" + (h < 0 ? "" : " heap " + (h / 1024) + " MB");
            }).collect(java.util.stream.Collectors.joining(" / "));
            heap = server.heapAfterGcKb();
            rss = server.rssKb();
        }
        return new StepResult("sessions", "N=" + n, n, 0, 0, 0, fleet.online().size(), 0, fleet.online().size(),
                0, -1, -1, rss, heap, note, StepResult.newHistogram());
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
