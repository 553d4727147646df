package org.parley.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU of a few named processes over a step (each node of a cluster, Redis), so a run on several
 * processes shows where the CPU went and not only its sum. Empty when nothing is watched.
 */
final class CpuWatch {
    private final Map<String, ServerProbe> probes = new LinkedHashMap<>();

    CpuWatch(Map<String, Long> pids) {
        pids.forEach((name, pid) -> probes.put(name, new ServerProbe(pid)));
    }

    /** Readings to pass back to {@link #describe}. */
    Map<String, Double> start() {
        Map<String, Double> m = new LinkedHashMap<>();
        probes.forEach((name, p) -> m.put(name, p.cpuSeconds()));
        return m;
    }

    /** "cpu n1=31% n2=29%" over {@code seconds} since {@code start}, or "" when nothing is watched. */
    String describe(Map<String, Double> start, double seconds) {
        if (probes.isEmpty()) {
            return "";
        }
        return "cpu " + probes.entrySet().stream().map(e -> {
            double pct = ServerProbe.percent(start.get(e.getKey()), e.getValue().cpuSeconds(), seconds);
            return e.getKey() + "=" + (pct < 0 ? "?" : String.format(Locale.ROOT, "%.1f%%", pct));
        }).collect(Collectors.joining(" "));
    }
}
