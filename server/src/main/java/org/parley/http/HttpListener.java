package org.parley.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.Executor;
import org.parley.config.HttpSettings;
import org.parley.eventloop.EventLoops;

/**
 * One HTTP port, plain or TLS, serving a route table. The pipeline is
 * {@code [tls] → http-timeouts → http-decoder → http-encoder → http-chunked → http-dispatcher}: the decoder enforces the request line and header limits, the dispatcher the
 * body limits, one request at a time. The channels do not auto-read: the dispatcher asks for
 * each read, which is how a slow handler slows the client.
 */
public final class HttpListener implements AutoCloseable {
    private static final String CHUNKED_WRITER = "http-chunked";
    /** Decoded body chunks are at most this large. */
    private static final int MAX_CHUNK = 16 * 1024;

    private final HttpRoutes routes;
    private final HttpSettings settings;
    private final SslContext ssl;
    private final Executor handlers;
    private final Clock clock;
    private final ChannelGroup connections = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
    private Channel channel;

    /**
     * @param ssl the server's TLS context for the TLS port (ALPN {@code http/1.1}), or null for plain
     * @param handlers where handlers run: a virtual thread per task
     */
    public HttpListener(HttpRoutes routes, HttpSettings settings, SslContext ssl, Executor handlers, Clock clock) {
        this.routes = routes;
        this.settings = settings;
        this.ssl = ssl;
        this.handlers = handlers;
        this.clock = clock;
    }

    /** Binds the port (0 picks a free one) and returns the bound address. */
    public InetSocketAddress bind(EventLoops loops, String address, int port)
            throws InterruptedException {
        channel = loops.serverBootstrap()
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        initPipeline(ch);
                    }
                })
                .bind(address, port).sync().channel();
        return (InetSocketAddress) channel.localAddress();
    }

    /** Builds the pipeline of one connection (tests use it on an {@code EmbeddedChannel}). */
    void initPipeline(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast("tls", ssl.newHandler(ch.alloc()));
        }
        HttpTimeouts timeouts = new HttpTimeouts(settings.headerTimeout(), settings.idleTimeout());
        p.addLast("http-timeouts", timeouts);
        p.addLast("http-decoder", new HttpRequestDecoder(new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxRequestLineBytes())
                .setMaxHeaderSize(settings.maxHeaderBytes())
                .setMaxChunkSize(MAX_CHUNK)));
        p.addLast("http-encoder", new HttpResponseEncoder());
        p.addLast(CHUNKED_WRITER, new ChunkedWriteHandler());
        p.addLast("http-dispatcher", new HttpDispatcher(routes, timeouts, new ResponseWriter(handlers, clock), handlers,
                ssl != null));
    }

    /**
     * Takes the HTTP handlers out of a connection's pipeline for a protocol upgrade, leaving
     * {@code [tls] → http-decoder → http-encoder} to the new protocol.
     */
    static void leaveToUpgrade(ChannelPipeline p) {
        p.remove(HttpTimeouts.class);
        p.remove(CHUNKED_WRITER);
        p.remove(HttpDispatcher.class);
    }

    /** Stops accepting and closes the open connections. */
    @Override
    public void close() {
        stopAccepting();
        connections.close().awaitUninterruptibly();
    }

    /**
     * Takes no new connections; those open stay, so the server can end the XMPP streams on them
     * (WebSocket, BOSH) with their reason before {@link #close} drops them.
     */
    public void stopAccepting() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
            channel = null;
        }
    }
}
