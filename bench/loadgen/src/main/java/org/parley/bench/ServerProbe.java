package org.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a process's resource use from /proc (RSS, CPU ticks) and, for a JVM, its heap after a
 * full collection through jcmd. A pid of 0 means "not known": every reading is then -1. Several
 * pids (the nodes of a cluster on one box) read as one server: their figures are summed.
 */
final class ServerProbe {
    /** USER_HZ: /proc/<pid>/stat counts CPU in these ticks; 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;
    // Serial/Parallel: "total 59008K, used 1234K" per generation; G1: "total reserved ..K, committed ..K,
    // used ..K" (older JDKs "total ..K, used ..K"); ZGC: "ZHeap used 198M, capacity ..."
    private static final Pattern HEAP_USED = Pattern.compile("(?:total|committed) \\d+K, used (\\d+)K|ZHeap\\s+used (\\d+)M");

    private final long[] pids;

    ServerProbe(long... pids) {
        this.pids = pids.clone();
    }

    static ServerProbe self() {
        return new ServerProbe(ProcessHandle.current().pid());
    }

    boolean known() {
        if (pids.length == 0) {
            return false;
        }
        for (long pid : pids) {
            if (pid <= 0 || !Files.exists(Path.of("/proc/" + pid))) {
                return false;
            }
        }
        return true;
    }

    long rssKb() {
        return sum(ServerProbe::rssKbOf);
    }

    /** User plus system CPU time of the process(es) (all threads), in seconds. */
    double cpuSeconds() {
        if (!known()) {
            return -1;
        }
        double total = 0;
        for (long pid : pids) {
            double s = cpuSecondsOf(pid);
            if (s < 0) {
                return -1;
            }
            total += s;
        }
        return total;
    }

    /** Heap in use after {@code jcmd GC.run}, in KB, summed; -1 if not a JVM or jcmd fails. */
    long heapAfterGcKb() {
        return sum(ServerProbe::heapAfterGcKbOf);
    }

    private long sum(java.util.function.LongUnaryOperator reading) {
        if (!known()) {
            return -1;
        }
        long total = 0;
        for (long pid : pids) {
            long v = reading.applyAsLong(pid);
            if (v < 0) {
                return -1;
            }
            total += v;
        }
        return total;
    }

    private static long rssKbOf(long pid) {
        if (!Files.exists(Path.of("/proc/" + pid))) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static double cpuSecondsOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ", field 3 (state) is f[0]; utime is field 14, stime field 15
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean isJvm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline")).contains("java");
        } catch (IOException e) {
            return false;
        }
    }

    private static long heapAfterGcKbOf(long pid) {
        if (!isJvm(pid)) {
            return -1;
        }
        jcmd(pid, "GC.run");
        // one line per generation (Serial: DefNew + Tenured) or one for the whole heap (G1)
        return heapUsedKb(jcmd(pid, "GC.heap_info"));
    }

    /** Sum of the "used" figures of {@code jcmd GC.heap_info} output, in KB; -1 if none. */
    static long heapUsedKb(String heapInfo) {
        Matcher m = HEAP_USED.matcher(heapInfo);
        long used = -1;
        while (m.find()) {
            long kb = m.group(1) != null ? Long.parseLong(m.group(1)) : Long.parseLong(m.group(2)) * 1024;
            used = Math.max(used, 0) + kb;
        }
        return used;
    }

    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** CPU use between two readings as percent of one core. */
    static double percent(double cpuBefore, double cpuAfter, double wallSeconds) {
        if (cpuBefore < 0 || cpuAfter < 0 || wallSeconds <= 0) {
            return -1;
        }
        return 100.0 * (cpuAfter - cpuBefore) / wallSeconds;
    }
}
