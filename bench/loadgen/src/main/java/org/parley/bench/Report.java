package org.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Turns a scenario's merged steps into the outputs: one summary line on stdout, rows appended to
 * results.csv (machine-readable, read back by the side-by-side table) and results.md (rows to
 * paste into BENCHMARKS.md).
 */
final class Report {
    static final List<String> COLUMNS = List.of("run_id", "time", "server", "scenario", "step", "users", "offered",
            "seconds", "sent", "delivered", "rate_per_s", "p50_ms", "p99_ms", "p999_ms", "max_ms", "online", "errors",
            "server_cpu_pct", "gen_cpu_pct", "rss_kb", "heap_kb", "rss_per_session_b", "heap_per_session_b", "note");

    private final Path dir;
    private final String runId;
    private final String server;

    Report(Path dir, String runId, String server) {
        this.dir = dir;
        this.runId = runId;
        this.server = server;
    }

    void write(List<StepResult> steps) {
        List<List<String>> rows = new ArrayList<>();
        StepResult prev = null;
        for (StepResult s : steps) {
            long rssSlope = slope(prev, s, prev == null ? 0 : prev.rssKb(), s.rssKb());
            long heapSlope = slope(prev, s, prev == null ? 0 : prev.heapKb(), s.heapKb());
            rows.add(List.of(runId, Instant.now().toString(), server, s.scenario(), s.step(), i(s.users()), f(s.offered()),
                    f(s.seconds()), i(s.sent()), i(s.delivered()), f(s.ratePerSecond()), f(s.percentileMillis(50)),
                    f(s.percentileMillis(99)), f(s.percentileMillis(99.9)), f(s.maxMillis()), i(s.online()),
                    i(s.errors()), f(s.serverCpuPct()), f(s.genCpuPct()), i(s.rssKb()), i(s.heapKb()), i(rssSlope),
                    i(heapSlope), s.note().replace(',', ';')));
            prev = s;
        }
        append("results.csv", String.join(",", COLUMNS), rows.stream().map(r -> String.join(",", r)).toList());
        append("results.md", "| " + String.join(" | ", COLUMNS) + " |\n|" + "---|".repeat(COLUMNS.size()),
                rows.stream().map(r -> "| " + String.join(" | ", r) + " |").toList());
        System.out.println(summary(steps, rows));
    }

    /** Memory per session between two steps, in bytes, so the server's fixed cost cancels out. */
    private static long slope(StepResult prev, StepResult s, long before, long after) {
        if (prev == null || before < 0 || after < 0 || s.online() <= prev.online()) {
            return -1;
        }
        return Math.round((after - before) * 1024.0 / (s.online() - prev.online()));
    }

    /** One RESULT line per run of rows of one scenario (chat --memory has "sessions" rows before its chat rows). */
    private String summary(List<StepResult> steps, List<List<String>> rows) {
        List<String> lines = new ArrayList<>();
        int i = 0;
        while (i < steps.size()) {
            int j = i;
            while (j < steps.size() && steps.get(j).scenario().equals(steps.get(i).scenario())) {
                j++;
            }
            lines.add(summaryOf(steps.subList(i, j), rows.subList(i, j)));
            i = j;
        }
        return lines.isEmpty() ? summaryOf(steps, rows) : String.join("\n", lines);
    }

    private String summaryOf(List<StepResult> steps, List<List<String>> rows) {
        String scenario = steps.isEmpty() ? "?" : steps.get(0).scenario();
        String body = switch (scenario) {
            case "sessions", "tls" -> steps.stream().map(s -> String.format(Locale.ROOT,
                    "N=%d online=%d login/s=%.0f rss=%sMB heap=%sMB errors=%d", s.users(), s.online(),
                    s.ratePerSecond(), f(s.rssKb() / 1024.0), f(s.heapKb() / 1024.0), s.errors())).collect(Collectors.joining(" | "))
                    + " | per-session rss/heap B: " + rows.stream().skip(1)
                    .map(r -> r.get(21) + "/" + r.get(22)).collect(Collectors.joining(", "));
            case "chat" -> steps.stream().map(s -> String.format(Locale.ROOT,
                    "%s%.0f/s->%.0f/s p50=%.1f p99=%.1f p99.9=%.1fms cpu=%.0f%% gen=%.0f%% lost=%d",
                    s.step().startsWith("warmup") ? "warm-up " : "", s.offered(), s.ratePerSecond(),
                    s.percentileMillis(50), s.percentileMillis(99), s.percentileMillis(99.9), s.serverCpuPct(),
                    s.genCpuPct(), s.sent() - s.delivered())).collect(Collectors.joining(" | "));
            case "overload" -> steps.stream().map(s -> String.format(Locale.ROOT,
                    "%.0f/s->%.0f/s (%.0f%%) p99=%.1fms undelivered=%d rss=%sMB cpu=%.0f%%", s.offered(), s.ratePerSecond(),
                    100 * s.ratePerSecond() / s.offered(), s.percentileMillis(99), s.sent() - s.delivered(),
                    f(s.rssKb() / 1024.0), s.serverCpuPct())).collect(Collectors.joining(" | "));
            default -> steps.stream().map(s -> String.format(Locale.ROOT, "%s: %d/%d in %.1fs = %.0f/s errors=%d",
                    s.step(), s.delivered(), s.sent(), s.seconds(), s.ratePerSecond(), s.errors()))
                    .collect(Collectors.joining(" | "));
        };
        return "RESULT " + scenario + " server=" + server + " run=" + runId + " :: " + body;
    }

    private void append(String file, String header, List<String> lines) {
        try {
            Files.createDirectories(dir);
            Path p = dir.resolve(file);
            StringBuilder sb = new StringBuilder();
            if (!Files.exists(p)) {
                sb.append(header).append('\n');
            }
            lines.forEach(l -> sb.append(l).append('\n'));
            Files.writeString(p, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String f(double v) {
        return v < 0 ? "" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }

    static String i(long v) {
        return v < 0 ? "" : Long.toString(v);
    }
}
