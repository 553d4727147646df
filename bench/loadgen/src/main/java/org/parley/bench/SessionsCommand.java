package org.parley.bench;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Logs in users in steps (1k, then up to 10k, ...) and holds them idle; after each step samples
 * the server's RSS and, for a JVM, heap after GC, so memory per session is the slope between
 * steps. With {@code --starttls} this is the tls scenario.
 */
@Command(name = "sessions", description = "log in N users in steps, hold idle, sample server memory")
final class SessionsCommand extends Scenario {
    @Option(names = "--steps", defaultValue = "1000,10000", split = ",") int[] steps;
    @Option(names = "--login-rate", defaultValue = "500", description = "logins started per second (all processes)")
    double loginRate;
    @Option(names = "--hold", defaultValue = "10", description = "idle seconds before sampling") double hold;
    @Option(names = "--step-timeout", defaultValue = "90", description = "seconds allowed for one step's logins")
    double stepTimeout;
    @Option(names = "--first-user", defaultValue = "1",
            description = "index of the first user (scale: idle sessions beside the chat scenario's u00001..)")
    int firstUser;

    @Override
    String name() {
        return common.startTls ? "tls" : "sessions";
    }

    @Override
    List<StepResult> run(Fleet fleet, Slice slice, ServerProbe server) throws Exception {
        List<StepResult> out = new ArrayList<>();
        int from = firstUser;
        for (int n : steps) {
            int[] mine = slice.users(from, n);
            int onlineBefore = fleet.online().size();
            long start = clock.nowNanos();
            double cpu = self.cpuSeconds();
            fleet.open(mine, XmppConnection.Mode.LOGIN, loginRate / slice.count(), (long) (stepTimeout * 1e9));
            double secs = (Math.max(fleet.lastDoneNanos(), start + 1) - start) / 1e9;
            double gen = genCpu(cpu, secs);
            int ok = fleet.online().size() - onlineBefore;
            slice.await("login-" + n, (long) (stepTimeout * 1000) + 60_000);
            sleepSeconds(hold);
            long rss = server.rssKb();
            long heap = server.heapAfterGcKb();
            if (heap >= 0) {
                rss = Math.max(rss, server.rssKb()); // GC.run can grow RSS (heap touched); keep the larger
            }
            int errors = mine.length - ok; // refused, dropped or not done within the step timeout
            out.add(new StepResult(name(), "N=" + n, n, loginRate, secs, mine.length, ok, 0,
                    fleet.online().size(), Math.max(0, errors), -1, gen, rss, heap, fleet.topFailure(),
                    StepResult.newHistogram()));
            slice.await("measured-" + n, 120_000);
            from = n + 1;
        }
        return out;
    }
}
