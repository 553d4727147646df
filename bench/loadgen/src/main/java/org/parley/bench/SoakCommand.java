package org.parley.bench;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The soak: steady 1:1 chat among online users for a long time while logins and logouts churn
 * (every second {@code --churn} users log out and log in again). Prints one line per
 * {@code --interval} (messages sent and delivered in it, latency p50/p99 of what was sent in it,
 * logins that failed); bench/soak.sh samples the server beside it and judges the trend. One
 * process only; the result rows are one per interval.
 */
@Command(name = "soak", description = "steady chat with logins and logouts churning, for a long time")
final class SoakCommand extends Scenario {
    @Option(names = "--users", defaultValue = "500") int users;
    @Option(names = "--rate", defaultValue = "200", description = "chat messages per second") double rate;
    @Option(names = "--churn", defaultValue = "5", description = "users logging out and in again per second")
    double churn;
    @Option(names = "--seconds", defaultValue = "3600") double seconds;
    @Option(names = "--interval", defaultValue = "60", description = "seconds per printed line") int interval;
    @Option(names = "--login-rate", defaultValue = "200") double loginRate;

    @Override
    String name() {
        return "soak";
    }

    @Override
    List<StepResult> run(Fleet fleet, Slice slice, ServerProbe server) throws Exception {
        check(slice.count() == 1, "soak runs in one process");
        int intervals = (int) Math.ceil(seconds / interval) + 1;
        ChatTraffic traffic = new ChatTraffic(clock, common.target(), intervals + 1, 64);
        fleet.listen(traffic);
        fleet.open(slice.users(1, users), XmppConnection.Mode.LOGIN, loginRate, 120_000_000_000L);
        check(fleet.online().size() > 1, "too few users online: " + fleet.topFailure());
        sleepSeconds(2);
        long start = clock.nowNanos();
        long deadline = start + (long) (seconds * 1e9);
        AtomicLong churned = new AtomicLong();
        Thread churner = Thread.ofPlatform().daemon().start(() -> new Pacer(clock).run(churn, Long.MAX_VALUE, deadline,
                i -> {
                    int user = 1 + ThreadLocalRandom.current().nextInt(users);
                    XmppConnection c = fleet.online().remove(user);
                    if (c != null) {
                        c.close();
                    }
                    try {
                        fleet.open(new int[] {user}, XmppConnection.Mode.LOGIN, 1000, 10_000_000_000L);
                    } catch (InterruptedException e) {
                        return false;
                    }
                    churned.incrementAndGet();
                    return true;
                }));
        System.out.println("SOAK interval_s=" + interval + " users=" + users + " rate=" + rate + " churn=" + churn);
        long sentTotal = 0;
        for (int k = 1; clock.nowNanos() < deadline; k++) {
            long end = Math.min(deadline, start + (long) k * interval * 1_000_000_000L);
            int step = Math.min(k, intervals);
            long sent = new Pacer(clock).run(rate, Long.MAX_VALUE, end, i -> {
                var online = fleet.online().values().toArray(XmppConnection[]::new);
                if (online.length < 2) {
                    return true;
                }
                var random = ThreadLocalRandom.current();
                XmppConnection from = online[random.nextInt(online.length)];
                XmppConnection to = online[random.nextInt(online.length)];
                if (to != from) {
                    from.send(traffic.stanza(to.user(), step));
                }
                return true;
            });
            sentTotal += sent;
            Histogram h = traffic.latency(Math.max(1, step - 1));
            System.out.printf("SOAK t=%d sent=%d delivered_prev=%d p50_prev_ms=%.1f p99_prev_ms=%.1f online=%d"
                            + " churned=%d failures=%d%n", (clock.nowNanos() - start) / 1_000_000_000L, sent,
                    traffic.delivered(Math.max(1, step - 1)), h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, fleet.online().size(), churned.get(), fleet.failures());
        }
        churner.join(15_000);
        sleepSeconds(3);
        Histogram all = StepResult.newHistogram();
        long delivered = 0;
        for (int k = 1; k <= intervals; k++) {
            all.add(traffic.latency(k));
            delivered += traffic.delivered(k);
        }
        return List.of(new StepResult(name(), "whole run", users, rate, seconds, sentTotal, delivered, delivered,
                fleet.online().size(), fleet.failures(), -1, -1, server.rssKb(), -1,
                churned.get() + " logouts and logins", all));
    }
}
