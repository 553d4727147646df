package org.parley.bench;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Creates u00001..uN by XEP-0077 in-band registration, many in parallel; existing accounts count as done. */
@Command(name = "register", description = "create users u00001..uN by in-band registration")
final class RegisterCommand extends Scenario {
    @Option(names = "--users", required = true) int users;
    @Option(names = "--rate", defaultValue = "300", description = "registrations started per second") double rate;
    @Option(names = "--timeout", defaultValue = "170", description = "seconds") double timeout;

    @Override
    String name() {
        return "register";
    }

    @Override
    List<StepResult> run(Fleet fleet, Slice slice, ServerProbe server) throws Exception {
        int[] mine = slice.users(1, users);
        long start = clock.nowNanos();
        double cpu = self.cpuSeconds();
        fleet.open(mine, XmppConnection.Mode.REGISTER, rate / slice.count(), (long) (timeout * 1e9));
        double secs = (Math.max(fleet.lastDoneNanos(), start + 1) - start) / 1e9;
        int ok = fleet.created() + fleet.existed();
        String note = "new=" + fleet.created() + " existing=" + fleet.existed() + " " + fleet.topFailure();
        return List.of(new StepResult(name(), "register", users, rate, secs, mine.length, ok, 0, 0,
                mine.length - ok, -1, genCpu(cpu, secs), -1, -1, note.strip(), StepResult.newHistogram()));
    }
}
