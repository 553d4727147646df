package org.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a process's resource use from /proc (RSS, CPU ticks) and, for a JVM, its heap after a
 * full collection through jcmd. A pid of 0 means "not known": every reading is then -1.
 */
final class ServerProbe {
    /** USER_HZ: /proc/<pid>/stat counts CPU in these ticks; 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;
    // Serial/Parallel: "total 59008K, used 1234K" per generation; G1: "total reserved ..K, committed ..K,
    // used ..K" (older JDKs "total ..K, used ..K"); ZGC: "ZHeap used 198M, capacity ..."
    private static final Pattern HEAP_USED = Pattern.compile("(?:total|committed) \\d+K, used (\\d+)K|ZHeap\\s+used (\\d+)M");

    private final long pid;

    ServerProbe(long pid) {
        this.pid = pid;
    }

    static ServerProbe self() {
        return new ServerProbe(ProcessHandle.current().pid());
    }

    boolean known() {
        return pid > 0 && Files.exists(Path.of("/proc/" + pid));
    }

    long rssKb() {
        if (!known()) {
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

    /** User plus system CPU time of the process (all threads), in seconds. */
    double cpuSeconds() {
        if (!known()) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ", field 3 (state) is f[0]; utime is field 14, stime field 15
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    boolean isJvm() {
        try {
            return known() && Files.readString(Path.of("/proc/" + pid + "/cmdline")).contains("java");
        } catch (IOException e) {
            return false;
        }
    }

    /** Heap in use after {@code jcmd GC.run}, in KB; -1 if not a JVM or jcmd fails. */
    long heapAfterGcKb() {
        if (!isJvm()) {
            return -1;
        }
        jcmd("GC.run");
        // one line per generation (Serial: DefNew + Tenured) or one for the whole heap (G1)
        return heapUsedKb(jcmd("GC.heap_info"));
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

    private String jcmd(String command) {
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
