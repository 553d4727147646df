package org.parley.feature.upload;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;
import org.parley.http.HttpError;
import org.parley.http.HttpRoutes;
import org.parley.http.Request;
import org.parley.http.Response;

/**
 * The upload service's HTTP side, at {@code /upload/<id>/<name>}: the one PUT a slot allows,
 * streamed to the {@link BlobStore}, and GET (and HEAD) of the file with ranges; both readable from
 * any origin (CORS), since web clients upload from their own.
 */
final class UploadHttp {
    private static final String PATH = UploadModule.ROUTE + "/{id}/{name}";
    private static final String OCTETS = "application/octet-stream";

    private final UploadStore store;
    private final Supplier<BlobStore> blobs;
    private final Clock clock;
    private final Duration slotTimeout;

    UploadHttp(UploadStore store, Supplier<BlobStore> blobs, Clock clock, Duration slotTimeout) {
        this.store = store;
        this.blobs = blobs;
        this.clock = clock;
        this.slotTimeout = slotTimeout;
    }

    void install(HttpRoutes routes, long maxFileSize) {
        routes.streamed(HttpMethod.PUT, PATH, maxFileSize, r -> cors(put(r)));
        routes.route(HttpMethod.GET, PATH, r -> cors(get(r)));
        routes.route(HttpMethod.OPTIONS, PATH, r -> cors(Response.empty(HttpResponseStatus.NO_CONTENT))
                .header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, PUT, OPTIONS")
                .header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type")
                .header(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400"));
    }

    private static Response cors(Response r) {
        return r.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }

    private Upload find(Request r) {
        return store.get(r.param("id")).filter(u -> u.name().equals(r.param("name")))
                .orElseThrow(() -> new HttpError(HttpResponseStatus.NOT_FOUND, "no such upload"));
    }

    /** XEP-0363 §4: exactly the slot's size and type, once, while the slot is valid; 201 when stored. */
    private Response put(Request r) throws IOException {
        Upload slot = find(r);
        if (slot.uploaded()) {
            throw new HttpError(HttpResponseStatus.CONFLICT, "this slot's file is uploaded already");
        }
        if (clock.instant().isAfter(slot.createdAt().plus(slotTimeout))) {
            throw new HttpError(HttpResponseStatus.FORBIDDEN, "the slot has expired: ask for a new one");
        }
        String length = r.header(HttpHeaderNames.CONTENT_LENGTH);
        if (length == null) {
            throw new HttpError(HttpResponseStatus.LENGTH_REQUIRED, "send the file with a Content-Length");
        }
        if (!length.trim().equals(Long.toString(slot.size()))) {
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "the slot is for exactly " + slot.size() + " bytes");
        }
        if (slot.contentType() != null && !sameType(slot.contentType(), r.header(HttpHeaderNames.CONTENT_TYPE))) {
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "the slot is for content type " + slot.contentType());
        }
        try {
            blobs.get().put(slot.id(), r.body().stream(), slot.size());
        } catch (IOException e) {
            // Nothing was kept; the slot stays usable until it expires.
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "the upload did not complete: " + e.getMessage());
        }
        if (!store.markUploaded(slot.id(), clock.instant())) {
            throw new HttpError(HttpResponseStatus.CONFLICT, "this slot's file is uploaded already");
        }
        return Response.empty(HttpResponseStatus.CREATED);
    }

    private static boolean sameType(String expected, String given) {
        return given != null && given.trim().toLowerCase(Locale.ROOT).equals(expected.trim().toLowerCase(Locale.ROOT));
    }

    /** The file, with ranges; images, audio, video and plain text inline, anything else as an attachment. */
    private Response get(Request r) throws IOException {
        Upload u = find(r);
        Path file = u.uploaded() ? blobs.get().file(u.id()) : null;
        if (file == null) {
            throw new HttpError(HttpResponseStatus.NOT_FOUND, "no such upload");
        }
        String type = u.contentType() == null ? OCTETS : u.contentType();
        Response response;
        try {
            response = Response.file(r, file, type);
        } catch (NoSuchFileException gone) {
            throw new HttpError(HttpResponseStatus.NOT_FOUND, "no such upload");
        }
        Instant uploaded = u.uploadedAt();
        return response
                .header(HttpHeaderNames.CONTENT_DISPOSITION, (inline(type) ? "inline" : "attachment")
                        + "; filename*=UTF-8''" + UploadModule.encode(u.name()))
                .header(HttpHeaderNames.CACHE_CONTROL, "public, max-age=31536000, immutable")
                .header(HttpHeaderNames.LAST_MODIFIED, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                        .format(uploaded.atZone(java.time.ZoneOffset.UTC)))
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox");
    }

    private static boolean inline(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        return (t.startsWith("image/") && !t.startsWith("image/svg")) || t.startsWith("audio/") || t.startsWith("video/")
                || t.startsWith("text/plain");
    }
}
