package org.parley.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** JSON bodies of the HTTP seam, and the shape of its errors. */
final class Json {
    static final String CONTENT_TYPE = "application/json";

    // A configured codec, never reconfigured: it holds no server's state, so servers may share it.
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** Reads a request body; malformed JSON is the client's fault, a 400. */
    static <T> T read(byte[] body, Class<T> type) {
        try {
            return MAPPER.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code {"error": "...", "message": "..."}}. */
    static byte[] error(String error, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        return write(body);
    }

    /** The error code of a status: RFC 9110's reason phrase in kebab case. */
    static String errorCode(HttpResponseStatus status) {
        return switch (status.code()) {
            // Netty still uses the RFC 2616 phrases for these.
            case 413 -> "content-too-large";
            case 414 -> "uri-too-long";
            case 416 -> "range-not-satisfiable";
            case 422 -> "unprocessable-content";
            default -> status.reasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        };
    }
}
