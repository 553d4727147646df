package org.parley.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Combines the partial files of several generator processes (counters and histograms add) and reports. */
@Command(name = "merge", description = "merge partial results of several generator processes and report")
final class MergeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*") List<Path> partials;
    @Option(names = "--server-name", defaultValue = "server") String serverName;
    @Option(names = "--run-id", defaultValue = "adhoc") String runId;
    @Option(names = "--results", defaultValue = "bench/results") Path results;

    @Override
    public Integer call() throws Exception {
        Map<String, StepResult> byStep = new LinkedHashMap<>();
        for (Path p : partials) {
            for (String line : Files.readAllLines(p)) {
                if (!line.isBlank()) {
                    StepResult s = StepResult.decode(line);
                    byStep.merge(s.step(), s, StepResult::plus);
                }
            }
        }
        new Report(results, runId, serverName).write(new ArrayList<>(byStep.values()));
        return 0;
    }
}
