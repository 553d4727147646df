package org.parley.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a handler answers: a status, header fields and one kind of content — bytes (JSON, text),
 * a file sent from disk, a stream the handler writes, or a protocol upgrade. Immutable:
 * {@link #header} returns a copy. Errors are JSON ({@link #error}); files are files.
 */
public final class Response {
    private final HttpResponseStatus status;
    private final HttpHeaders headers;
    private final Content content;

    private Response(HttpResponseStatus status, HttpHeaders headers, Content content) {
        this.status = status;
        this.headers = headers;
        this.content = content;
    }

    /** {@code value} as JSON (Jackson), 200. */
    public static Response json(Object value) {
        return json(HttpResponseStatus.OK, value);
    }

    public static Response json(HttpResponseStatus status, Object value) {
        return owned(status, Json.CONTENT_TYPE, Json.write(value));
    }

    public static Response text(HttpResponseStatus status, String contentType, String text) {
        return owned(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    public static Response bytes(HttpResponseStatus status, String contentType, byte[] body) {
        return owned(status, contentType, body.clone());
    }

    /** A response over {@code body}, which nobody else holds. */
    private static Response owned(HttpResponseStatus status, String contentType, byte[] body) {
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return new Response(status, h, new Bytes(body));
    }

    /** No content: 201, 204 and the like. */
    public static Response empty(HttpResponseStatus status) {
        return new Response(status, new DefaultHttpHeaders(), new Bytes(new byte[0]));
    }

    /** {@code {"error": error, "message": message}}. */
    public static Response error(HttpResponseStatus status, String error, String message) {
        return owned(status, Json.CONTENT_TYPE, Json.error(error, message));
    }

    /** An error whose code is the status's name ({@code not-found}, {@code content-too-large}). */
    public static Response error(HttpResponseStatus status, String message) {
        return error(status, Json.errorCode(status), message);
    }

    /**
     * A file, sent from disk without being read into memory (zero-copy on the plain port, in
     * chunks as the client takes them over TLS), with a single {@code Range} honoured for GET and
     * HEAD: 206 with {@code Content-Range}, or 416 for a range past the end (RFC 9110 §14).
     * Opens the file now, so a missing file throws here, for the handler to answer 404.
     */
    public static Response file(Request request, Path path, String contentType) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            boolean get = request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
            ByteRange range = get ? ByteRange.parse(request.header(HttpHeaderNames.RANGE), size) : null;
            if (range == ByteRange.UNSATISFIABLE) {
                channel.close();
                return error(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "the range is past the end of "
                        + size + " bytes").header(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
            }
            HttpHeaders h = new DefaultHttpHeaders();
            h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
            h.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
            if (range == null) {
                return new Response(HttpResponseStatus.OK, h, new FileRange(channel, 0, size));
            }
            h.set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(size));
            return new Response(HttpResponseStatus.PARTIAL_CONTENT, h, new FileRange(channel, range.first(),
                    range.length()));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * A body the handler writes as it goes, for content that is neither in memory nor a file (a
     * blob from object storage, an export). {@code writer} runs on a virtual thread after the
     * header is sent; its writes block while the client is not taking them, so memory stays
     * bounded. With {@code length} -1 the body is sent chunked. A writer that fails mid-way closes
     * the connection (the status is already sent).
     */
    public static Response stream(HttpResponseStatus status, String contentType, long length, BodyWriter writer) {
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return new Response(status, h, new Streamed(length, writer));
    }

    /** Hands the connection to another protocol: see {@link ProtocolUpgrade}. */
    public static Response upgrade(ProtocolUpgrade upgrade) {
        return new Response(HttpResponseStatus.SWITCHING_PROTOCOLS, new DefaultHttpHeaders(), new Upgrade(upgrade));
    }

    /** This response with one more header field. */
    public Response header(CharSequence name, Object value) {
        HttpHeaders h = new DefaultHttpHeaders().add(headers);
        h.add(name, value);
        return new Response(status, h, content);
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** A copy of the header fields. */
    public HttpHeaders headers() {
        return new DefaultHttpHeaders().add(headers);
    }

    Content content() {
        return content;
    }

    /** Frees what the content holds (an open file) when the response will not be sent. */
    void discard() {
        if (content instanceof FileRange f) {
            f.close();
        }
    }

    /** Writes a streamed body. */
    @FunctionalInterface
    public interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    sealed interface Content permits Bytes, FileRange, Streamed, Upgrade {
    }

    record Bytes(byte[] data) implements Content {
    }

    record FileRange(FileChannel channel, long offset, long length) implements Content {
        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was written from it; a failed close leaks nothing more
            }
        }
    }

    record Streamed(long length, BodyWriter writer) implements Content {
    }

    record Upgrade(ProtocolUpgrade upgrade) implements Content {
    }
}
