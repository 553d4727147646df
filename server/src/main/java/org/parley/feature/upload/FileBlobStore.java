package org.parley.feature.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * Blobs as files in one directory, named by their key. A write goes to {@code <key>.part} and is
 * renamed into place once all its bytes are on disk, so a reader never sees half a file and an
 * interrupted upload leaves only a part file, which the write removes on its way out.
 */
public final class FileBlobStore implements BlobStore {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int BUFFER = 64 * 1024;

    private final Path dir;

    public FileBlobStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    private Path path(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a blob key: " + key);
        }
        return dir.resolve(key);
    }

    @Override
    public void put(String key, InputStream body, long size) throws IOException {
        Path target = path(key);
        Path part = dir.resolve(key + ".part");
        boolean done = false;
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[BUFFER];
            long written = 0;
            for (int n; (n = body.read(buffer)) >= 0; ) {
                written += n;
                if (written > size) {
                    throw new IOException("the body is longer than the announced " + size + " bytes");
                }
                out.write(buffer, 0, n);
            }
            if (written != size) {
                throw new IOException("the body ended after " + written + " of " + size + " bytes");
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(part);
            }
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw e;
        }
    }

    @Override
    public Path file(String key) {
        Path p = path(key);
        return Files.isRegularFile(p) ? p : null;
    }

    @Override
    public long size(String key) throws IOException {
        Path p = file(key);
        return p == null ? -1 : Files.size(p);
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(path(key));
        Files.deleteIfExists(dir.resolve(key + ".part"));
    }
}
