package org.parley.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The body of a request. On a route added with {@link HttpRoutes#route} it is buffered whole
 * before the handler runs ({@link #bytes()}, {@link #text()}, {@link #json}); on one added with
 * {@link HttpRoutes#streamed} it is read as it arrives through {@link #stream()}, which blocks
 * until bytes come and throws an {@link java.io.IOException} when the client goes away or sends
 * more than the route allows.
 */
public interface RequestBody {

    /** The declared length ({@code Content-Length}), or -1 when the client sends it chunked. */
    long length();

    /** The whole body of a buffered route. */
    byte[] bytes();

    /** The body as UTF-8 text. */
    default String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** The body parsed as JSON into {@code type}; malformed JSON is an {@link HttpError} 400. */
    default <T> T json(Class<T> type) {
        return Json.read(bytes(), type);
    }

    /** The body as a stream; on a streamed route, read once, as it arrives. */
    InputStream stream();

    /**
     * Bytes received from the client and not yet read by the handler: what this request holds in
     * memory. On a streamed route it stays within a small window whatever the body's size.
     */
    long bufferedBytes();

    /** A body already in memory. */
    static RequestBody of(byte[] bytes, long declaredLength) {
        return new RequestBody() {
            @Override
            public long length() {
                return declaredLength;
            }

            @Override
            public byte[] bytes() {
                return bytes;
            }

            @Override
            public InputStream stream() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public long bufferedBytes() {
                return bytes.length;
            }
        };
    }
}
