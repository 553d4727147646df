package org.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * This process's share of the users when the generator runs as several processes (one process
 * holds at most ~19,900 sockets under the 20,000-file cap). Users are dealt round-robin, so
 * every prefix u00001..uN is split evenly, and processes meet at file barriers in a shared
 * directory between phases so that server-side samples see all of them.
 */
record Slice(int index, int count, Path syncDir) {

    static Slice parse(String spec, Path syncDir) {
        String[] p = spec.split("/");
        Slice s = new Slice(Integer.parseInt(p[0]), Integer.parseInt(p[1]), syncDir);
        if (s.count < 1 || s.index < 0 || s.index >= s.count) {
            throw new IllegalArgumentException("slice must be i/P with 0 <= i < P: " + spec);
        }
        if (s.count > 1 && syncDir == null) {
            throw new IllegalArgumentException("--sync-dir is required with more than one process");
        }
        return s;
    }

    boolean first() {
        return index == 0;
    }

    /** Users in [from, to] (1-based, inclusive) that belong to this slice. */
    int[] users(int from, int to) {
        return IntStream.rangeClosed(from, to).filter(u -> (u - 1) % count == index).toArray();
    }

    /** Waits until every process has reached {@code name}, or {@code timeoutMillis} pass. */
    void await(String name, long timeoutMillis) throws InterruptedException {
        if (count == 1) {
            return;
        }
        try {
            Files.createDirectories(syncDir);
            Files.writeString(syncDir.resolve(name + "." + index), "");
            long deadline = System.currentTimeMillis() + timeoutMillis;
            while (System.currentTimeMillis() < deadline) {
                try (Stream<Path> s = Files.list(syncDir)) {
                    if (s.filter(p -> p.getFileName().toString().startsWith(name + ".")).count() >= count) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any process may raise a flag (e.g. "saturated") that all see after the next barrier. */
    void raise(String flag) {
        try {
            if (syncDir != null) {
                Files.createDirectories(syncDir);
                Files.writeString(syncDir.resolve("flag-" + flag), "");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean raised(String flag) {
        return syncDir != null && Files.exists(syncDir.resolve("flag-" + flag));
    }
}
