package org.parley.http;

/**
 * Answers one HTTP request. Runs on a virtual thread of its own, so it may block: read a store,
 * read a streamed body, wait for a long poll. Throwing {@link HttpError} answers with that status
 * and a JSON error; any other exception is logged and answered with a JSON 500.
 */
@FunctionalInterface
public interface HttpHandler {
    Response handle(Request request) throws Exception;
}
