package org.parley.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Date;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link Response} on the event loop: bytes in one go, a file as a zero-copy region on
 * the plain port or in chunks over TLS (the TLS engine must see the bytes; the chunked writer
 * reads the next chunk only while the channel is writable), a streamed body from the writer's
 * virtual thread. For HEAD the header is sent as GET would have it and the body left out.
 */
final class ResponseWriter {
    private static final Logger log = LoggerFactory.getLogger(ResponseWriter.class);
    private static final int FILE_CHUNK = 16 * 1024;
    private static final int STREAM_BUFFER = 16 * 1024;

    private final Executor executor;
    private final Clock clock;

    ResponseWriter(Executor executor, Clock clock) {
        this.executor = executor;
        this.clock = clock;
    }

    /** A body of unknown length to an HTTP/1.0 client cannot be chunked: its end is the connection's. */
    static boolean endsConnection(Exchange ex, Response r) {
        return r.content() instanceof Response.Streamed s && s.length() < 0 && !ex.isHead()
                && ex.head.protocolVersion().equals(HttpVersion.HTTP_1_0);
    }

    /** Writes {@code r} as the answer to {@code ex}; the future completes when its last byte is written. */
    ChannelFuture write(ChannelHandlerContext ctx, Exchange ex, Response r, boolean keepAlive) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, r.status(), r.headers());
        // RFC 9110 §6.6.1: an origin server with a clock sends Date.
        head.headers().set(HttpHeaderNames.DATE, DateFormatter.format(new Date(clock.millis())));
        if (!keepAlive) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (ex.head.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        boolean bodyless = ex.isHead() || !mayHaveContent(r.status());
        return switch (r.content()) {
            case Response.Bytes b -> {
                if (mayHaveContent(r.status())) {
                    HttpUtil.setContentLength(head, b.data().length);
                }
                ctx.write(head);
                yield ctx.writeAndFlush(bodyless ? LastHttpContent.EMPTY_LAST_CONTENT
                        : new DefaultLastHttpContent(Unpooled.wrappedBuffer(b.data())));
            }
            case Response.FileRange f -> {
                HttpUtil.setContentLength(head, f.length());
                ctx.write(head);
                if (bodyless || f.length() == 0) {
                    f.close();
                    yield ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                }
                if (ctx.pipeline().get(SslHandler.class) == null) {
                    ctx.write(new DefaultFileRegion(f.channel(), f.offset(), f.length()));
                    yield ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                }
                try {
                    yield ctx.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(f.channel(), f.offset(),
                            f.length(), FILE_CHUNK)));
                } catch (IOException e) {
                    f.close();
                    yield ctx.newFailedFuture(e);
                }
            }
            case Response.Streamed s -> stream(ctx, ex, head, s, bodyless);
            case Response.Upgrade u -> throw new IllegalStateException("an upgrade is not written as a response");
        };
    }

    private ChannelFuture stream(ChannelHandlerContext ctx, Exchange ex, HttpResponse head, Response.Streamed s,
                                 boolean bodyless) {
        if (s.length() >= 0) {
            HttpUtil.setContentLength(head, s.length());
        } else if (!bodyless && !HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(
                head.headers().get(HttpHeaderNames.CONNECTION, ""))) {
            HttpUtil.setTransferEncodingChunked(head, true);
        }
        ctx.write(head);
        if (bodyless) {
            return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        ctx.flush();
        ChannelPromise done = ctx.newPromise();
        ChannelOutputStream out = new ChannelOutputStream(ctx.channel());
        ex.output = out;
        executor.execute(() -> {
            try (OutputStream buffered = new BufferedOutputStream(out, STREAM_BUFFER)) {
                s.writer().writeTo(buffered);
            } catch (Exception | Error e) {
                log.info("{}: a streamed response failed after its header was sent; closing the connection",
                        ctx.channel().remoteAddress(), e);
                ctx.channel().close();
                done.tryFailure(e);
                return;
            }
            if (s.length() >= 0 && out.written() != s.length()) {
                log.warn("{}: a streamed response wrote {} bytes of its declared {}; closing the connection",
                        ctx.channel().remoteAddress(), out.written(), s.length());
                ctx.channel().close();
                done.tryFailure(new IllegalStateException("wrong body length"));
                return;
            }
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, done);
        });
        return done;
    }

    /** RFC 9110 §6.4.1: 1xx, 204 and 304 responses never carry content. */
    private static boolean mayHaveContent(HttpResponseStatus status) {
        int code = status.code();
        return code >= 200 && code != 204 && code != 304;
    }
}
