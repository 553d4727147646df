package org.parley.bench;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * What one process measured in one step of a scenario. Counters add up across processes;
 * server readings come from the one process that sampled them (slice 0), the others carry -1.
 *
 * @param sent      messages sent, or logins attempted
 * @param delivered messages received (all that carried this step's tag), or logins that succeeded
 * @param inWindow  messages received while the step ran (any tag): the delivered rate
 * @param seconds   the step's length: send window, or time from first login to last
 * @param latency   end-to-end latency in microseconds
 */
record StepResult(String scenario, String step, int users, double offered, double seconds, long sent,
                  long delivered, long inWindow, int online, int errors, double serverCpuPct, double genCpuPct,
                  long rssKb, long heapKb, String note, Histogram latency) {

    static Histogram newHistogram() {
        return new Histogram(3_600_000_000L, 3);
    }

    /** One tab-separated line of key=value for the partial file a process leaves for the merge. */
    String encode() {
        ByteBuffer buf = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
        int n = latency.encodeIntoCompressedByteBuffer(buf);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", scenario);
        m.put("step", step);
        m.put("users", users);
        m.put("offered", offered);
        m.put("seconds", seconds);
        m.put("sent", sent);
        m.put("delivered", delivered);
        m.put("inWindow", inWindow);
        m.put("online", online);
        m.put("errors", errors);
        m.put("serverCpuPct", serverCpuPct);
        m.put("genCpuPct", genCpuPct);
        m.put("rssKb", rssKb);
        m.put("heapKb", heapKb);
        m.put("note", note.replaceAll("[\t\n=]", " "));
        m.put("hist", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n)));
        return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\t"));
    }

    static StepResult decode(String line) {
        Map<String, String> m = Stream.of(line.split("\t")).map(kv -> kv.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv.length > 1 ? kv[1] : ""));
        Histogram h;
        try {
            h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(m.get("hist"))), 0);
        } catch (java.util.zip.DataFormatException e) {
            throw new IllegalArgumentException("bad histogram in partial result", e);
        }
        return new StepResult(m.get("scenario"), m.get("step"), Integer.parseInt(m.get("users")),
                Double.parseDouble(m.get("offered")), Double.parseDouble(m.get("seconds")),
                Long.parseLong(m.get("sent")), Long.parseLong(m.get("delivered")), Long.parseLong(m.get("inWindow")),
                Integer.parseInt(m.get("online")), Integer.parseInt(m.get("errors")),
                Double.parseDouble(m.get("serverCpuPct")), Double.parseDouble(m.get("genCpuPct")),
                Long.parseLong(m.get("rssKb")), Long.parseLong(m.get("heapKb")), m.get("note"), h);
    }

    /** The same step as seen by two processes, combined. */
    StepResult plus(StepResult o) {
        Histogram h = newHistogram();
        h.add(latency);
        h.add(o.latency);
        String notes = Stream.of(note, o.note).filter(s -> !s.isBlank()).distinct().collect(Collectors.joining("; "));
        return new StepResult(scenario, step, users, offered, Math.max(seconds, o.seconds), sent + o.sent,
                delivered + o.delivered, inWindow + o.inWindow, online + o.online, errors + o.errors,
                Math.max(serverCpuPct, o.serverCpuPct), genCpuPct + o.genCpuPct, Math.max(rssKb, o.rssKb),
                Math.max(heapKb, o.heapKb), notes, h);
    }

    double ratePerSecond() {
        return seconds <= 0 ? 0 : (scenario.equals("chat") ? inWindow : delivered) / seconds;
    }

    double percentileMillis(double p) {
        return latency.getTotalCount() == 0 ? -1 : latency.getValueAtPercentile(p) / 1000.0;
    }

    double maxMillis() {
        return latency.getTotalCount() == 0 ? -1 : latency.getMaxValue() / 1000.0;
    }
}
