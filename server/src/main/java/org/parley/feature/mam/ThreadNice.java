package org.parley.feature.mam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The Linux nice value of the calling thread: background work (the archive writer's group
 * commits) set to a higher nice value takes the CPU only when the event loops and the sessions'
 * carriers have none to run, or a small share while they do, instead of an equal share of the
 * one core for the length of each commit. On Linux a thread has its own nice value, which
 * {@code renice -n N -p TID} sets (raising it needs no privilege); the thread's id comes from
 * {@code /proc/thread-self}. Run once, when the thread starts. Elsewhere, or when either is
 * missing, nothing changes.
 */
final class ThreadNice {
    private ThreadNice() {
    }

    /** Sets the calling platform thread's nice value to {@code nice} (1-19); false when it could not (or 0). */
    static boolean setCurrent(int nice) {
        if (nice <= 0 || Thread.currentThread().isVirtual()) {
            return false;
        }
        Path self = Path.of("/proc/thread-self");
        try {
            if (!Files.isSymbolicLink(self)) {
                return false;
            }
            String tid = Files.readSymbolicLink(self).getFileName().toString(); // "<pid>/task/<tid>"
            Process p = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | RuntimeException e) {
            return false; // no /proc, no renice: the thread keeps its priority
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
