package org.parley.http;

import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.util.concurrent.CompletableFuture;

/**
 * One request and its response on a connection, as the dispatcher tracks them on the event loop.
 * The exchange ends when both its body has been received and its response written; only then does
 * the next request on the connection begin, so responses go out in request order.
 */
final class Exchange {
    final HttpRequest head;
    final CompletableFuture<Void> disconnected;
    /** The request declares a body: a length above zero, or chunked (RFC 9112 §6.3). */
    final boolean expectsBody;
    HttpRoutes.Route route;
    HttpRoutes.Found found;      // the route and its parameters
    RequestTarget target;
    CompositeByteBuf buffered;   // the body so far, on a buffered route
    StreamedBody streamed;       // the body, on a streamed route
    ChannelOutputStream output;  // a streamed response being written
    long received;
    boolean bodyComplete;
    boolean responded;           // a response has been chosen; later ones are dropped
    boolean responseWritten;
    boolean closeAfter;

    Exchange(HttpRequest head, CompletableFuture<Void> disconnected) {
        this.head = head;
        this.disconnected = disconnected;
        this.expectsBody = declaredLength(head) != 0 || HttpUtil.isTransferEncodingChunked(head);
    }

    /** Content-Length, 0 when absent, -1 when it is not a number (the decoder flags that request as malformed). */
    static long declaredLength(HttpRequest head) {
        try {
            return HttpUtil.getContentLength(head, 0L);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    boolean isHead() {
        return head.method().equals(HttpMethod.HEAD);
    }

    /** The request and its response are both complete. */
    boolean done() {
        return bodyComplete && responseWritten;
    }

    /** Frees what the request holds: its buffered body, the handler's unread chunks. */
    void release(java.io.IOException why) {
        if (buffered != null) {
            buffered.release();
            buffered = null;
        }
        if (streamed != null) {
            streamed.fail(why);
        }
    }
}
