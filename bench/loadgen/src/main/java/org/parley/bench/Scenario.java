package org.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A bounded scenario: it opens a fleet, runs its steps, and either reports (one process) or
 * leaves a partial file for {@code merge} (several processes).
 */
abstract class Scenario implements Callable<Integer> {
    @Mixin CommonOptions common;

    final RunClock clock = new RunClock();
    final ServerProbe self = ServerProbe.self();

    abstract String name();

    abstract List<StepResult> run(Fleet fleet, Slice slice, ServerProbe server) throws Exception;

    @Override
    public Integer call() throws Exception {
        Slice slice = common.parsedSlice();
        // Only one process samples the server so that jcmd GC.run happens once per step.
        ServerProbe server = new ServerProbe(slice.first() ? common.serverPids : new long[] {0});
        List<StepResult> steps;
        try (Fleet fleet = new Fleet(common.target(), common.ports(), common.sourceAddresses(), common.threads, common.busyPoll, clock)) {
            steps = run(fleet, slice, server);
        }
        common.target().scramCache().save();
        if (common.partial != null) {
            Files.createDirectories(common.partial.toAbsolutePath().getParent());
            Files.write(common.partial, steps.stream().map(StepResult::encode).toList());
        } else {
            new Report(common.results, common.runId, common.serverName).write(steps);
        }
        return 0;
    }

    /** CPU of this generator process over a window, in percent of one core. */
    double genCpu(double before, double seconds) {
        return ServerProbe.percent(before, self.cpuSeconds(), seconds);
    }

    static void sleepSeconds(double s) throws InterruptedException {
        Thread.sleep((long) (s * 1000));
    }

    static void check(boolean ok, String message) throws IOException {
        if (!ok) {
            throw new IOException(message);
        }
    }
}
