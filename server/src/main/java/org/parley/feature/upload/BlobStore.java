package org.parley.feature.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where uploaded files are kept, by key. Writes stream: a blob is never held in memory whole, and
 * a write that fails or does not deliver exactly the announced size leaves nothing behind.
 */
public interface BlobStore {

    /**
     * Stores exactly {@code size} bytes read from {@code body} under {@code key}, replacing nothing:
     * the blob appears only once it is complete.
     *
     * @throws IOException when the body ends early, goes past {@code size} or cannot be written;
     *         then nothing is stored
     */
    void put(String key, InputStream body, long size) throws IOException;

    /** The blob as a local file to serve, or null when there is none under {@code key}. */
    Path file(String key);

    /** Removes the blob, if there is one. */
    void delete(String key) throws IOException;
}
