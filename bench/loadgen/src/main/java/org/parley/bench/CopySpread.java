package org.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The copies of each group chat message, one message at a time: when its first, median and last
 * copy arrived after it was sent. A step's percentiles mix the copies of all its messages; this
 * tells whether a tail is every message's last recipients (a fan-out that takes long) or a few
 * messages whose every copy was late (a pause). Keyed by the send stamp the body carries, which is
 * unique per message in one process. Bounded: past {@value #MAX_MESSAGES} messages in a step the
 * rest are not tracked (the step's histogram still has them).
 */
final class CopySpread {
    static final int MAX_MESSAGES = 20_000;

    /** One message's copies: latencies in microseconds, appended as they arrive. */
    private static final class Copies {
        final long sentAtNanos;
        int[] micros = new int[64];
        int n;

        Copies(long sentAtNanos) {
            this.sentAtNanos = sentAtNanos;
        }

        synchronized void add(long latencyMicros) {
            if (n == micros.length) {
                micros = Arrays.copyOf(micros, n * 2);
            }
            micros[n++] = (int) Math.min(Integer.MAX_VALUE, latencyMicros);
        }

        synchronized int[] sorted() {
            int[] s = Arrays.copyOf(micros, n);
            Arrays.sort(s);
            return s;
        }
    }

    /** A message's spread in milliseconds: its copies' count, first, median, 90th percentile and last. */
    record Spread(int step, long sentAtMillis, int copies, double first, double median, double p90, double last) {
    }

    private final List<Map<Long, Copies>> steps = new ArrayList<>();

    CopySpread(int steps) {
        for (int i = 0; i < steps; i++) {
            this.steps.add(new ConcurrentHashMap<>());
        }
    }

    void copy(int step, long sentAtNanos, long latencyMicros) {
        Map<Long, Copies> m = steps.get(step);
        Copies c = m.get(sentAtNanos);
        if (c == null) {
            if (m.size() >= MAX_MESSAGES) {
                return;
            }
            c = m.computeIfAbsent(sentAtNanos, Copies::new);
        }
        c.add(latencyMicros);
    }

    /** The step's messages in the order they were sent. */
    List<Spread> spreads(int step) {
        return steps.get(step).values().stream()
                .sorted((a, b) -> Long.compare(a.sentAtNanos, b.sentAtNanos))
                .map(c -> {
                    int[] s = c.sorted();
                    return new Spread(step, c.sentAtNanos / 1_000_000L, s.length, s[0] / 1000.0, at(s, 0.5) / 1000.0,
                            at(s, 0.9) / 1000.0, s[s.length - 1] / 1000.0);
                }).toList();
    }

    /**
     * "per message (n): first/median/last copy, median over messages a/b/c ms, worst d/e/f ms":
     * the typical message and the one whose last copy came latest.
     */
    static String describe(List<Spread> spreads) {
        if (spreads.isEmpty()) {
            return "";
        }
        double[] first = spreads.stream().mapToDouble(Spread::first).sorted().toArray();
        double[] median = spreads.stream().mapToDouble(Spread::median).sorted().toArray();
        double[] last = spreads.stream().mapToDouble(Spread::last).sorted().toArray();
        Spread worst = spreads.stream().max((a, b) -> Double.compare(a.last(), b.last())).orElseThrow();
        return String.format(Locale.ROOT, "per message (%d): first/median/last copy %.1f/%.1f/%.1f ms typical,"
                        + " worst %.1f/%.1f/%.1f ms", spreads.size(), mid(first), mid(median), mid(last),
                worst.first(), worst.median(), worst.last());
    }

    /** Appends the spreads as CSV rows (label, step, sent at, copies, first, median, p90, last). */
    static void append(Path file, String label, List<Spread> spreads) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        boolean fresh = !Files.exists(file);
        StringBuilder b = new StringBuilder();
        if (fresh) {
            b.append("label,step,sent_at_ms,copies,first_ms,median_ms,p90_ms,last_ms\n");
        }
        for (Spread s : spreads) {
            b.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%.3f,%.3f,%.3f,%.3f%n", label, s.step(), s.sentAtMillis(),
                    s.copies(), s.first(), s.median(), s.p90(), s.last()));
        }
        Files.writeString(file, b, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static int at(int[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * (sorted.length - 1)))];
    }

    private static double mid(double[] sorted) {
        return sorted[sorted.length / 2];
    }
}
