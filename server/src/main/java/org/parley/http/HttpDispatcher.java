package org.parley.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an HTTP connection: finds each request's route, feeds its body to the
 * handler (buffered, or streamed with backpressure), runs the handler on a virtual thread and
 * writes its answer. One request at a time: a pipelined request (RFC 9112 §9.3.2) waits, decoded,
 * until the response before it is written, so responses keep request order; while one is in
 * progress the connection reads on only to a small bound (so a client that leaves is noticed).
 * The channel does not auto-read: this handler asks for each read, which is how backpressure
 * reaches the socket.
 */
final class HttpDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HttpDispatcher.class);
    /** After an early answer (the body still coming), how long the rest is read and dropped before closing. */
    private static final long LINGER_MILLIS = 2000;
    /** Decoded objects of later requests held while one is in progress. */
    private static final int MAX_PENDING = 64;

    private final HttpRoutes routes;
    private final HttpTimeouts timeouts;
    private final ResponseWriter writer;
    private final Executor handlers;
    private final boolean secure;
    private final ArrayDeque<HttpObject> pending = new ArrayDeque<>();
    private final CompletableFuture<Void> disconnected = new CompletableFuture<>();
    private ChannelHandlerContext ctx;
    private Exchange current;
    private boolean draining;
    private boolean closing;

    HttpDispatcher(HttpRoutes routes, HttpTimeouts timeouts, ResponseWriter writer, Executor handlers, boolean secure) {
        this.routes = routes;
        this.timeouts = timeouts;
        this.writer = writer;
        this.handlers = handlers;
        this.secure = secure;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject o)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (closing && current == null) {
            ReferenceCountUtil.release(o);
        } else if (!pending.isEmpty() || current != null && current.bodyComplete) {
            pending.add(o); // a later request: it waits its turn
        } else {
            handle(o);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readIfWanted();
        ctx.fireChannelReadComplete();
    }

    private void readIfWanted() {
        boolean wanted = wantsInput();
        timeouts.waiting(wanted && (current == null || !current.bodyComplete));
        if (wanted) {
            ctx.read();
        }
    }

    /** Whether to read the socket now. */
    private boolean wantsInput() {
        if (!ctx.channel().isActive()) {
            return false;
        }
        if (current == null) {
            return !closing && pending.isEmpty();
        }
        if (!current.bodyComplete) {
            return current.streamed == null || current.responded || current.streamed.wantsMore();
        }
        return !closing && pending.size() < MAX_PENDING;
    }

    private void handle(HttpObject o) {
        try {
            if (o instanceof HttpRequest r) {
                begin(r);
            }
            if (o instanceof HttpContent c && current != null) {
                content(current, c);
            }
        } finally {
            ReferenceCountUtil.release(o);
        }
    }

    private void begin(HttpRequest r) {
        timeouts.headersComplete();
        Exchange ex = new Exchange(r, disconnected);
        current = ex;
        if (r.decoderResult().isFailure()) {
            malformed(ex, r.decoderResult().cause());
            return;
        }
        RequestTarget target = RequestTarget.parse(r);
        if (target.error() != null) {
            answer(ex, Response.error(HttpResponseStatus.BAD_REQUEST, target.error()));
            return;
        }
        String expect = r.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
            // RFC 9110 §10.1.1: 100-continue is the only expectation there is.
            answer(ex, Response.error(HttpResponseStatus.EXPECTATION_FAILED, "unknown expectation: " + expect));
            return;
        }
        switch (routes.match(r.method(), target.segments())) {
            case HttpRoutes.NotFound n -> answer(ex, Response.error(HttpResponseStatus.NOT_FOUND,
                    "nothing at " + target.path()));
            case HttpRoutes.WrongMethod w -> answer(ex, (r.method().equals(HttpMethod.OPTIONS)
                    ? Response.empty(HttpResponseStatus.NO_CONTENT)
                    : Response.error(HttpResponseStatus.METHOD_NOT_ALLOWED, r.method() + " is not allowed on "
                            + target.path())).header(HttpHeaderNames.ALLOW, w.allow()));
            case HttpRoutes.Found f -> accept(ex, f, target);
        }
    }

    private void accept(Exchange ex, HttpRoutes.Found found, RequestTarget target) {
        ex.route = found.route();
        long declared = Exchange.declaredLength(ex.head);
        if (declared > ex.route.maxBodyBytes()) {
            answer(ex, tooLarge(ex));
            return;
        }
        if (ex.expectsBody && HttpUtil.is100ContinueExpected(ex.head)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
        if (ex.route.streamed()) {
            ex.streamed = new StreamedBody(HttpUtil.getContentLength(ex.head, -1L),
                    () -> ctx.executor().execute(this::readIfWanted));
            run(ex, target, found, ex.streamed);
        } else {
            ex.buffered = ctx.alloc().compositeBuffer(1024);
            ex.target = target;
            ex.found = found;
        }
    }

    private void content(Exchange ex, HttpContent c) {
        if (c.decoderResult().isFailure()) {
            ex.release(new IOException("malformed request body"));
            malformed(ex, c.decoderResult().cause());
            return;
        }
        int n = c.content().readableBytes();
        ex.received += n;
        if (ex.route != null && ex.received > ex.route.maxBodyBytes()) {
            ex.release(new IOException("the body is larger than " + ex.route.maxBodyBytes() + " bytes"));
            answer(ex, tooLarge(ex));
        } else if (ex.streamed != null && !ex.responded) {
            ex.streamed.offer(c.content());
        } else if (ex.buffered != null && n > 0) {
            ex.buffered.addComponent(true, c.content().retain());
        }
        if (c instanceof LastHttpContent) {
            ex.bodyComplete = true;
            if (ex.streamed != null) {
                ex.streamed.end();
            }
            if (ex.buffered != null && !ex.responded) {
                byte[] body = new byte[ex.buffered.readableBytes()];
                ex.buffered.readBytes(body);
                ex.buffered.release();
                ex.buffered = null;
                run(ex, ex.target, ex.found, RequestBody.of(body, HttpUtil.getContentLength(ex.head, -1L)));
            }
            if (ex.responseWritten && closing) {
                ctx.close();
            }
            finishIfDone(ex);
        }
    }

    private static Response tooLarge(Exchange ex) {
        return Response.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "the body of " + ex.route
                + " may be at most " + ex.route.maxBodyBytes() + " bytes");
    }

    private void malformed(Exchange ex, Throwable cause) {
        // The decoder drops everything after a malformed message: this is the connection's last exchange.
        ex.closeAfter = true;
        ex.bodyComplete = true;
        if (ex.responded) {
            if (ex.responseWritten) {
                ctx.close();
            }
            return;
        }
        HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : HttpResponseStatus.BAD_REQUEST;
        String message = cause instanceof TooLongFrameException ? cause.getMessage() : "malformed HTTP request";
        log.debug("{}: malformed HTTP request", ctx.channel().remoteAddress(), cause);
        answer(ex, Response.error(status, message));
    }

    /** Runs the route's handler on a virtual thread; its answer comes back to the event loop. */
    private void run(Exchange ex, RequestTarget target, HttpRoutes.Found found, RequestBody body) {
        InetSocketAddress remote = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
        Request request = new Request(ex.head.method(), target.path(), found.params(), target.query(),
                ex.head.headers(), remote, secure, body, ex.disconnected);
        try {
            handlers.execute(() -> {
                Response response = found.route().answer(request);
                ctx.executor().execute(() -> answer(ex, response));
            });
        } catch (RejectedExecutionException e) {
            answer(ex, Response.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "the server is stopping"));
        }
    }

    /** Sends the answer to {@code ex}, unless it has one already or is no longer current. */
    private void answer(Exchange ex, Response response) {
        if (ex != current || ex.responded || !ctx.channel().isActive()) {
            response.discard();
            return;
        }
        ex.responded = true;
        if (response.content() instanceof Response.Upgrade u) {
            upgrade(ex, u.upgrade());
            return;
        }
        // RFC 9112 §9.6: close after an answer given while the body is still coming (the rest is dropped).
        boolean bodyPending = ex.expectsBody && !ex.bodyComplete;
        boolean keepAlive = HttpUtil.isKeepAlive(ex.head) && !ex.closeAfter && !bodyPending
                && !ResponseWriter.endsConnection(ex, response);
        ex.closeAfter = !keepAlive;
        if (bodyPending) {
            ex.release(new IOException("the request was answered before its body ended"));
        }
        ChannelFuture written = writer.write(ctx, ex, response, keepAlive);
        written.addListener((ChannelFutureListener) f -> written(ex, f.isSuccess()));
    }

    private void written(Exchange ex, boolean success) {
        ex.responseWritten = true;
        ex.output = null;
        if (!success) {
            ctx.close();
        } else if (ex.closeAfter) {
            closing = true;
            if (ex.bodyComplete) {
                ctx.close();
            } else {
                // Read and drop the rest for a while, so the client sees the answer rather than a reset.
                ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
                readIfWanted();
            }
        } else {
            finishIfDone(ex);
        }
    }

    private void finishIfDone(Exchange ex) {
        if (ex != current || !ex.done() || closing) {
            return;
        }
        current = null;
        timeouts.requestDone();
        drain();
        readIfWanted();
    }

    /** Starts the requests that arrived while the last one was in progress, in order. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!pending.isEmpty() && (current == null || !current.bodyComplete) && !closing) {
                handle(pending.poll());
            }
        } finally {
            draining = false;
        }
    }

    private void upgrade(Exchange ex, ProtocolUpgrade upgrade) {
        if (ex.expectsBody || !ex.bodyComplete) {
            ex.responded = false;
            answer(ex, Response.error(HttpResponseStatus.BAD_REQUEST, "a request with a body cannot upgrade"));
            return;
        }
        // The client waits for the 101 before it speaks the new protocol (RFC 6455 §4.1), so nothing decoded
        // after the request belongs to it.
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        current = null;
        HttpListener.leaveToUpgrade(ctx.pipeline());
        HttpRequest r = ex.head;
        var request = new DefaultFullHttpRequest(r.protocolVersion(), r.method(), r.uri(), Unpooled.EMPTY_BUFFER,
                r.headers(), EmptyHttpHeaders.INSTANCE);
        try {
            upgrade.takeOver(ctx.channel(), request);
        } catch (RuntimeException e) {
            log.warn("{}: a protocol upgrade on {} failed", ctx.channel().remoteAddress(), r.uri(), e);
            ctx.channel().close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == HttpTimeouts.Expired.HEADERS && current == null) {
            Exchange ex = new Exchange(new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/"), disconnected);
            ex.bodyComplete = true;
            current = ex;
            ex.closeAfter = true;
            answer(ex, Response.error(HttpResponseStatus.REQUEST_TIMEOUT, "the request's header section took too long"));
        } else if (evt instanceof HttpTimeouts.Expired) {
            log.debug("{}: HTTP connection idle, closing", ctx.channel().remoteAddress());
            // A client that does not read will not read a TLS close_notify either: no 3 s wait for it.
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls != null) {
                tls.setCloseNotifyFlushTimeout(1, TimeUnit.MILLISECONDS);
            }
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null && current.output != null) {
            current.output.wake();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disconnected.complete(null);
        if (current != null) {
            current.release(new IOException("the client closed the connection before the body ended"));
            if (current.output != null) {
                current.output.wake();
            }
        }
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: HTTP connection failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
