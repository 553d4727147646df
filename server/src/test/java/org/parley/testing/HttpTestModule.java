package org.parley.testing;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.http.HttpError;
import org.parley.http.HttpRoutes;
import org.parley.http.Request;
import org.parley.http.Response;
import org.parley.module.Module;
import org.parley.module.ModuleContext;

/**
 * A module that serves test endpoints through the HTTP route seam, as a feature would:
 * {@code /test/hello/{name}}, a streamed upload that reports what it held in memory, a file
 * download, a streamed response, a link from the public URL, and a protocol upgrade to an echo.
 */
public final class HttpTestModule implements Module {
    /** The largest body the streamed upload route takes. */
    public static final long UPLOAD_LIMIT = 100L << 20;

    private final String label;
    private final Path file;
    /** How long the upload handler waits after its first read, so the client runs ahead of it. */
    private volatile long pauseMillis;
    private final AtomicLong maxBuffered = new AtomicLong();
    private final BlockingQueue<Throwable> uploadFailures = new LinkedBlockingQueue<>();

    public HttpTestModule(String label, Path file) {
        this.label = label;
        this.file = file;
    }

    @Override
    public String name() {
        return "http-test";
    }

    public void pauseAfterFirstRead(long millis) {
        pauseMillis = millis;
    }

    @Override
    public void start(ModuleContext ctx) {
        HttpRoutes http = ctx.http();
        http.route(HttpMethod.GET, "/test/hello/{name}", r -> Response.json(Map.of("hello", r.param("name"),
                "server", label, "clientPort", r.remoteAddress().getPort(), "secure", r.secure())));
        http.route(HttpMethod.POST, "/test/echo", r -> Response.json(r.body().json(Map.class)));
        http.streamed(HttpMethod.PUT, "/test/upload/{name}", UPLOAD_LIMIT, this::upload);
        http.route(HttpMethod.GET, "/test/file", r -> Response.file(r, file, "application/octet-stream"));
        http.route(HttpMethod.GET, "/test/stream/{kib}", r -> Response.stream(HttpResponseStatus.OK, "text/plain", -1,
                out -> {
                    byte[] kib = "x".repeat(1024).getBytes();
                    for (int i = 0; i < Integer.parseInt(r.param("kib")); i++) {
                        out.write(kib);
                    }
                }));
        http.route(HttpMethod.GET, "/test/link/{slot}", r -> Response.json(Map.of("url",
                http.publicUrl("/upload/" + r.param("slot")).toString())));
        http.route(HttpMethod.GET, "/test/upgrade", r -> {
            if (!r.wantsUpgrade("x-echo")) {
                throw new HttpError(HttpResponseStatus.UPGRADE_REQUIRED, "upgrade to x-echo");
            }
            return Response.upgrade((channel, request) -> {
                var switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS,
                        Unpooled.EMPTY_BUFFER);
                switching.headers().set(HttpHeaderNames.UPGRADE, "x-echo")
                        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
                channel.writeAndFlush(switching);
                channel.pipeline().remove("http-decoder");
                channel.pipeline().remove("http-encoder");
                channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext c, Object msg) {
                        c.writeAndFlush(msg);
                    }
                });
                channel.config().setAutoRead(true);
            });
        });
    }

    /**
     * Reads the body as it comes, digesting it; after the first read it waits {@link #pauseMillis},
     * sampling what the request holds in memory, so a test sees that the connection stopped reading.
     */
    private Response upload(Request r) throws Exception {
        if (r.param("name").equals("refused")) {
            throw new HttpError(HttpResponseStatus.FORBIDDEN, "not this one"); // before reading a byte
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long total = 0;
        long held = 0;
        byte[] buf = new byte[8192];
        try (InputStream in = r.body().stream()) {
            for (int n; (n = read(in, buf)) >= 0; ) {
                if (total == 0 && pauseMillis > 0) {
                    long until = System.nanoTime() + pauseMillis * 1_000_000;
                    while (System.nanoTime() < until) {
                        held = Math.max(held, r.body().bufferedBytes());
                        Thread.sleep(20);
                    }
                }
                sha.update(buf, 0, n);
                total += n;
                held = Math.max(held, r.body().bufferedBytes());
            }
        }
        maxBuffered.set(held);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("name", r.param("name"));
        result.put("bytes", total);
        result.put("sha256", HexFormat.of().formatHex(sha.digest()));
        result.put("maxBuffered", held);
        return Response.json(HttpResponseStatus.CREATED, result);
    }

    private int read(InputStream in, byte[] buf) throws java.io.IOException {
        try {
            return in.read(buf);
        } catch (java.io.IOException e) {
            uploadFailures.add(e);
            throw e;
        }
    }

    /** The next failure an upload handler saw reading its body, waiting up to {@code seconds}. */
    public Throwable nextUploadFailure(int seconds) throws InterruptedException {
        return uploadFailures.poll(seconds, TimeUnit.SECONDS);
    }

    /** The most the last upload held in memory at once, as its handler saw it. */
    public long maxBuffered() {
        return maxBuffered.get();
    }
}
