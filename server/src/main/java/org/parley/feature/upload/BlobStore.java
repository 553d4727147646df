package org.parley.feature.upload;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where uploaded files are kept, by key. Writes stream: a blob is never held in memory whole, and
 * a write that fails or does not deliver exactly the announced size leaves nothing behind.
 *
 * <p>A store either holds files Parley serves itself ({@link FileBlobStore}: {@link #file}), or
 * lets clients move the bytes themselves through pre-signed URLs ({@link S3BlobStore}:
 * {@link #uploadUrl}, {@link #downloadUrl}), so that file bytes never pass through the server.
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

    /** The blob as a local file to serve, or null when there is none under {@code key} or the store is not local. */
    Path file(String key);

    /** The blob's size in bytes, or -1 when there is none under {@code key}. */
    long size(String key) throws IOException;

    /** Removes the blob, if there is one. */
    void delete(String key) throws IOException;

    /**
     * A URL a client PUTs the blob to itself, valid for {@code validFor}, that the store accepts
     * only with exactly {@code size} bytes and, when given, {@code contentType}; empty when uploads
     * go through the server ({@link #put}).
     */
    default Optional<URI> uploadUrl(String key, long size, String contentType, Duration validFor) {
        return Optional.empty();
    }

    /**
     * A URL a client GETs the blob from itself, valid for {@code validFor}, answered with these
     * response headers; empty when the server serves the blob ({@link #file}).
     */
    default Optional<URI> downloadUrl(String key, Duration validFor, DownloadHeaders headers) {
        return Optional.empty();
    }

    /** Whether clients move the bytes themselves ({@link #uploadUrl} and {@link #downloadUrl} give URLs). */
    default boolean direct() {
        return false;
    }

    /** The response headers a download is served with. */
    record DownloadHeaders(String contentType, String contentDisposition, String cacheControl) {
    }
}
