package org.parley.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The side-by-side table of one run: one row per figure, one column per server, and the ratios
 * Parley / ejabberd and Parley / Prosody, read back from results.csv.
 */
@Command(name = "table", description = "side-by-side markdown table of one run from results.csv")
final class TableCommand implements Callable<Integer> {
    @Option(names = "--run-id", required = true) String runId;
    @Option(names = "--scenario", required = true) String scenario;
    @Option(names = "--results", defaultValue = "bench/results") Path results;
    @Option(names = "--servers", defaultValue = "parley,ejabberd,prosody", split = ",") List<String> servers;
    @Option(names = "--good-p99-ms", defaultValue = "20") double goodP99;
    @Option(names = "--out", description = "also write the table here") Path out;

    @Override
    public Integer call() throws Exception {
        List<String> lines = Files.readAllLines(results.resolve("results.csv"));
        List<String> header = List.of(lines.get(0).split(",", -1));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.size() && i < cells.length; i++) {
                row.put(header.get(i), cells[i]);
            }
            if (runId.equals(row.get("run_id")) && scenario.equals(row.get("scenario"))) {
                rows.add(row);
            }
        }
        String table = render(rows);
        System.out.println(table);
        if (out != null) {
            Files.writeString(out, table + "\n");
        }
        return 0;
    }

    String render(List<Map<String, String>> rows) {
        Set<String> steps = new LinkedHashSet<>();
        rows.forEach(r -> steps.add(r.get("step")));
        Map<String, Map<String, String>> figures = new LinkedHashMap<>(); // figure -> server -> value
        for (String step : steps) {
            for (String server : servers) {
                rows.stream().filter(r -> r.get("server").equals(server) && r.get("step").equals(step))
                        .reduce((a, b) -> b).ifPresent(r -> stepFigures(step, r).forEach((k, v) ->
                                figures.computeIfAbsent(k, x -> new LinkedHashMap<>()).put(server, v)));
            }
        }
        if (scenario.equals("chat")) {
            for (String server : servers) {
                List<Map<String, String>> mine = rows.stream().filter(r -> r.get("server").equals(server)).toList();
                if (mine.isEmpty()) {
                    continue;
                }
                double best = mine.stream().filter(r -> num(r.get("p99_ms")) >= 0 && num(r.get("p99_ms")) <= goodP99
                        && num(r.get("rate_per_s")) >= 0.9 * num(r.get("offered"))).mapToDouble(r -> num(r.get("offered"))).max().orElse(0);
                double most = mine.stream().mapToDouble(r -> num(r.get("rate_per_s"))).max().orElse(0);
                figures.computeIfAbsent("highest offered msgs/s with p99 ≤ " + Report.f(goodP99) + " ms", x -> new LinkedHashMap<>())
                        .put(server, Report.f(best));
                figures.computeIfAbsent("most delivered msgs/s", x -> new LinkedHashMap<>()).put(server, Report.f(most));
            }
        }
        if (scenario.equals("group")) {
            // per room shape ("1x100 @ 50 msg/s" → "1x100"): the highest room message rate within the p99 bound
            for (String server : servers) {
                Map<String, Double> best = new LinkedHashMap<>();
                rows.stream().filter(r -> r.get("server").equals(server)).forEach(r -> {
                    String shape = r.get("step").split(" ")[0];
                    boolean good = num(r.get("p99_ms")) >= 0 && num(r.get("p99_ms")) <= goodP99;
                    best.merge(shape, good ? num(r.get("offered")) : 0, Math::max);
                });
                best.forEach((shape, rate) -> figures.computeIfAbsent("highest room msgs/s with p99 ≤ " + Report.f(goodP99)
                        + " ms, " + shape, x -> new LinkedHashMap<>()).put(server, Report.f(rate)));
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(scenario).append(" (run ").append(runId).append(") | ").append(String.join(" | ", servers));
        List<String> ratioCols = servers.size() > 1 && servers.get(0).equals("parley")
                ? servers.subList(1, servers.size()) : List.of();
        ratioCols.forEach(s -> sb.append(" | parley / ").append(s));
        sb.append(" |\n|---").append("|---:".repeat(servers.size() + ratioCols.size())).append("|\n");
        figures.forEach((figure, byServer) -> {
            sb.append("| ").append(figure);
            servers.forEach(s -> sb.append(" | ").append(byServer.getOrDefault(s, "")));
            ratioCols.forEach(s -> sb.append(" | ").append(ratio(byServer.get("parley"), byServer.get(s))));
            sb.append(" |\n");
        });
        return sb.toString().strip();
    }

    private Map<String, String> stepFigures(String step, Map<String, String> r) {
        Map<String, String> f = new LinkedHashMap<>();
        Function<String, String> v = k -> r.getOrDefault(k, "");
        switch (scenario) {
            case "sessions", "tls" -> {
                f.put("online (" + step + ")", v.apply("online"));
                f.put("login/s (" + step + ")", v.apply("rate_per_s"));
                f.put("server RSS MB (" + step + ")", mb(v.apply("rss_kb")));
                f.put("JVM heap after GC MB (" + step + ")", mb(v.apply("heap_kb")));
                f.put("RSS KB per session (slope to " + step + ")", kb(v.apply("rss_per_session_b")));
                f.put("heap KB per session (slope to " + step + ")", kb(v.apply("heap_per_session_b")));
                f.put("errors (" + step + ")", v.apply("errors"));
                f.put("generator CPU % while logging in (" + step + ")", v.apply("gen_cpu_pct"));
            }
            case "chat" -> {
                f.put("delivered msgs/s @ " + step, v.apply("rate_per_s"));
                f.put("p50 ms @ " + step, v.apply("p50_ms"));
                f.put("p99 ms @ " + step, v.apply("p99_ms"));
                f.put("p99.9 ms @ " + step, v.apply("p999_ms"));
                f.put("server CPU % @ " + step, v.apply("server_cpu_pct"));
                f.put("generator CPU % @ " + step, v.apply("gen_cpu_pct"));
            }
            case "slowreader" -> {
                f.put("chat delivered (" + step + ")", v.apply("delivered") + " / " + v.apply("sent"));
                f.put("chat p50 ms (" + step + ")", v.apply("p50_ms"));
                f.put("chat p99 ms (" + step + ")", v.apply("p99_ms"));
                f.put("server RSS MB (" + step + ")", mb(v.apply("rss_kb")));
                f.put("server CPU % (" + step + ")", v.apply("server_cpu_pct"));
                f.put("note (" + step + ")", v.apply("note"));
            }
            case "group" -> {
                f.put("delivered stanzas/s @ " + step, v.apply("rate_per_s"));
                f.put("p50 ms @ " + step, v.apply("p50_ms"));
                f.put("p99 ms @ " + step, v.apply("p99_ms"));
                f.put("server CPU % @ " + step, v.apply("server_cpu_pct"));
                f.put("generator CPU % @ " + step, v.apply("gen_cpu_pct"));
                f.put("note @ " + step, v.apply("note"));
            }
            case "overload" -> {
                f.put("delivered msgs/s @ " + step, v.apply("rate_per_s"));
                f.put("goodput % of offered @ " + step, pct(v.apply("rate_per_s"), v.apply("offered")));
                f.put("p99 ms @ " + step, v.apply("p99_ms"));
                f.put("never delivered @ " + step, diff(v.apply("sent"), v.apply("delivered")));
                f.put("server RSS MB after " + step, mb(v.apply("rss_kb")));
                f.put("server CPU % @ " + step, v.apply("server_cpu_pct"));
            }
            case "history" -> {
                f.put("answered queries/s @ " + step, v.apply("rate_per_s"));
                f.put("answered @ " + step, v.apply("delivered") + " / " + v.apply("sent"));
                f.put("p50 ms @ " + step, v.apply("p50_ms"));
                f.put("p99 ms @ " + step, v.apply("p99_ms"));
                f.put("p99.9 ms @ " + step, v.apply("p999_ms"));
                f.put("server CPU % @ " + step, v.apply("server_cpu_pct"));
            }
            default -> {
                f.put(step + " msgs/s", v.apply("rate_per_s"));
                f.put(step + " count", v.apply("delivered") + " / " + v.apply("sent"));
                f.put(step + " seconds", v.apply("seconds"));
                f.put(step + " server CPU %", v.apply("server_cpu_pct"));
            }
        }
        f.values().removeIf(String::isEmpty);
        f.entrySet().removeIf(e -> e.getValue().isEmpty());
        return f;
    }

    private static String pct(String part, String whole) {
        return part.isEmpty() || whole.isEmpty() || num(whole) <= 0 ? ""
                : String.format(Locale.ROOT, "%.0f", 100 * num(part) / num(whole));
    }

    private static String diff(String a, String b) {
        return a.isEmpty() || b.isEmpty() ? "" : String.format(Locale.ROOT, "%.0f", num(a) - num(b));
    }

    private static String mb(String kb) {
        return kb.isEmpty() ? "" : String.format(Locale.ROOT, "%.1f", num(kb) / 1024);
    }

    private static String kb(String bytes) {
        return bytes.isEmpty() ? "" : String.format(Locale.ROOT, "%.1f", num(bytes) / 1024);
    }

    static String ratio(String a, String b) {
        if (a == null || b == null || a.isEmpty() || b.isEmpty()) {
            return "";
        }
        double x = num(a);
        double y = num(b);
        return y <= 0 || x < 0 ? "" : String.format(Locale.ROOT, "%.2f×", x / y);
    }

    static double num(String s) {
        try {
            return s == null || s.isEmpty() ? -1 : Double.parseDouble(s.split(" ")[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
