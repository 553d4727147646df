package org.parley.feature.upload;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
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
    /** A file never changes under its URL. */
    private static final String CACHE = "public, max-age=31536000, immutable";
    /** How long a pre-signed download URL the server redirects to stays valid. */
    static final Duration DOWNLOAD_VALIDITY = Duration.ofHours(1);

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

    /**
     * The file, with ranges, or with object storage a redirect to a pre-signed download carrying
     * the same headers (HEAD is answered here: a pre-signed GET does not take HEAD). Images, audio,
     * video and plain text inline, anything else as an attachment; the id is the strong ETag,
     * since a file never changes.
     */
    private Response get(Request r) throws IOException {
        Upload u = find(r);
        BlobStore b = blobs.get();
        if (!u.uploaded()) {
            // With object storage the PUT went past the server: the first GET looks whether it arrived.
            if (!b.direct() || !UploadModule.arrived(b, u)) {
                throw new HttpError(HttpResponseStatus.NOT_FOUND, "no such upload");
            }
            store.markUploaded(u.id(), clock.instant());
            u = store.get(u.id()).orElseThrow(() -> new HttpError(HttpResponseStatus.NOT_FOUND, "no such upload"));
        }
        String type = u.contentType() == null ? OCTETS : u.contentType();
        String disposition = (inline(type) ? "inline" : "attachment") + "; filename*=UTF-8''" + UploadModule.encode(u.name());
        String etag = "\"" + u.id() + "\"";
        Instant modified = u.uploadedAt().truncatedTo(ChronoUnit.SECONDS);
        if (notModified(r, etag, modified)) {
            return validators(Response.empty(HttpResponseStatus.NOT_MODIFIED), etag, modified)
                    .header(HttpHeaderNames.CACHE_CONTROL, CACHE);
        }
        if (b.direct()) {
            if (r.method().equals(HttpMethod.HEAD)) {
                return described(Response.stream(HttpResponseStatus.OK, type, u.size(), out -> { }), disposition,
                        etag, modified).header(HttpHeaderNames.ACCEPT_RANGES, "bytes");
            }
            URI at = b.downloadUrl(u.id(), DOWNLOAD_VALIDITY, new BlobStore.DownloadHeaders(type, disposition, CACHE))
                    .orElseThrow();
            // The redirect may be reused for a while, never past its signature's validity.
            return Response.empty(HttpResponseStatus.FOUND).header(HttpHeaderNames.LOCATION, at.toString())
                    .header(HttpHeaderNames.CACHE_CONTROL, "private, max-age=" + DOWNLOAD_VALIDITY.dividedBy(6).toSeconds());
        }
        Path file = b.file(u.id());
        if (file == null) {
            throw new HttpError(HttpResponseStatus.NOT_FOUND, "no such upload");
        }
        Response response;
        try {
            response = Response.file(r, file, type);
        } catch (NoSuchFileException gone) {
            throw new HttpError(HttpResponseStatus.NOT_FOUND, "no such upload");
        }
        return described(response, disposition, etag, modified);
    }

    private static Response described(Response r, String disposition, String etag, Instant modified) {
        return validators(r, etag, modified)
                .header(HttpHeaderNames.CONTENT_DISPOSITION, disposition)
                .header(HttpHeaderNames.CACHE_CONTROL, CACHE)
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox");
    }

    private static Response validators(Response r, String etag, Instant modified) {
        return r.header(HttpHeaderNames.ETAG, etag)
                .header(HttpHeaderNames.LAST_MODIFIED, DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.atZone(ZoneOffset.UTC)));
    }

    /** RFC 9110 §13.1: If-None-Match when given (weak comparison), else If-Modified-Since. */
    private static boolean notModified(Request r, String etag, Instant modified) {
        String none = r.header(HttpHeaderNames.IF_NONE_MATCH);
        if (none != null) {
            for (String tag : none.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                    return true;
                }
            }
            return false;
        }
        String since = r.header(HttpHeaderNames.IF_MODIFIED_SINCE);
        if (since == null) {
            return false;
        }
        try {
            return !modified.isAfter(ZonedDateTime.parse(since.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return false; // RFC 9110 §13.1.3: an invalid date is ignored
        }
    }

    private static boolean inline(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        return (t.startsWith("image/") && !t.startsWith("image/svg")) || t.startsWith("audio/") || t.startsWith("video/")
                || t.startsWith("text/plain");
    }
}
