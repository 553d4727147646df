package org.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.parley.auth.ScramClient;

/**
 * Salted passwords (PBKDF2 results) kept across runs, keyed by user, salt and iteration count,
 * as real clients keep them (RFC 5802 §5.1). Without it the generator spends ~2 ms of its one
 * core per SCRAM login on PBKDF2 and the measured login rate is the generator's, not the server's.
 */
final class ScramCache implements ScramClient.SaltedPasswords {
    private final Path file;
    private final Map<String, byte[]> entries = new ConcurrentHashMap<>();
    private volatile boolean dirty;

    /**
     * Reads {@code base} and every {@code base.<n>} (what processes of a multi-process run left);
     * saves to {@code base}, or to {@code base.<slice>} when several processes share it.
     */
    ScramCache(Path base, Slice slice) {
        this.file = base == null || slice.count() == 1 ? base : base.resolveSibling(base.getFileName() + "." + slice.index());
        if (base == null || base.toAbsolutePath().getParent() == null || !Files.isDirectory(base.toAbsolutePath().getParent())) {
            return;
        }
        String name = base.getFileName().toString();
        try (var files = Files.list(base.toAbsolutePath().getParent())) {
            for (Path p : files.filter(f -> f.getFileName().toString().equals(name)
                    || f.getFileName().toString().matches(java.util.regex.Pattern.quote(name) + "\\.[0-9]+")).toList()) {
                for (String line : Files.readAllLines(p)) {
                    String[] kv = line.split(" ", 2);
                    if (kv.length == 2) {
                        entries.put(kv[0], HexFormat.of().parseHex(kv[1]));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] get(String user, byte[] salt, int iterations, Supplier<byte[]> compute) {
        String key = user + ":" + Base64.getEncoder().encodeToString(salt) + ":" + iterations;
        byte[] v = entries.get(key);
        if (v == null) {
            v = compute.get();
            entries.put(key, v);
            dirty = true;
        }
        return v;
    }

    void save() {
        if (file == null || !dirty) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        entries.forEach((k, v) -> sb.append(k).append(' ').append(HexFormat.of().formatHex(v)).append('\n'));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, sb);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
