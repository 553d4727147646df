package org.parley.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Thrown by a handler to answer with an error status and a JSON body
 * {@code {"error": "<code>", "message": "<message>"}}, so a handler reads as its happy path plus
 * explicit failures. The code defaults to the status's reason phrase in kebab case
 * ({@code not-found}, {@code content-too-large}).
 */
public final class HttpError extends RuntimeException {
    private final HttpResponseStatus status;
    private final String error;

    public HttpError(HttpResponseStatus status, String message) {
        this(status, Json.errorCode(status), message);
    }

    public HttpError(HttpResponseStatus status, String error, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
    }

    public HttpResponseStatus status() {
        return status;
    }

    public String error() {
        return error;
    }

    public Response response() {
        return Response.error(status, error, getMessage());
    }
}
