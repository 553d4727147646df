package org.parley.net;

import com.fasterxml.aalto.AsyncXMLInputFactory;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Function;
import org.parley.c2s.C2sSession;
import org.parley.c2s.Connection;
import org.parley.c2s.SessionServices;
import org.parley.c2s.StreamInput;
import org.parley.config.Config;
import org.parley.eventloop.EventLoops;
import org.parley.xml.XmlEncoder;
import org.parley.xml.XmlLimits;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xmpp.Namespaces;

/**
 * A client-to-server listener: port 5222 (STARTTLS) or 5223 (direct TLS, XEP-0368). The
 * pipeline is {@code guard → [tls] → idle → shaper → XmlStreamDecoder → XmlEncoder →
 * C2sHandler}, and each connection is a {@link TcpConnection} that its {@link C2sSession} writes to.
 */
public final class C2sListener {
    static final String TLS = "tls";

    private final SessionServices services;
    private final SslContext sslContext;
    private final boolean directTls;
    /** The shaping settings, shared by every connection of the listener. */
    private final InboundRates.Limits shaping;
    private final Function<Connection, StreamInput> sessions;
    private Channel channel;

    /** @param sslContext for STARTTLS and direct TLS; null only when the server runs without TLS */
    public C2sListener(SessionServices services, SslContext sslContext, boolean directTls) {
        this.services = services;
        this.sslContext = sslContext;
        this.directTls = directTls;
        this.shaping = InboundRates.Limits.of(services.config().c2s());
        this.sessions = c -> new C2sSession(services, c);
    }

    /** Binds the port (0 picks a free one) and returns the bound address. */
    public InetSocketAddress bind(EventLoops loops, String address, int port)
            throws InterruptedException {
        Config config = services.config();
        XmlLimits limits = new XmlLimits(config.limits().maxStanzaBytes(), config.limits().maxDepth());
        // One parser factory per listener: connections share its symbol table instead of each building one.
        AsyncXMLInputFactory parsers = XmlStreamDecoder.secureFactory();
        var b = loops.serverBootstrap()
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline(ch, new XmlStreamDecoder(limits, parsers));
                    }
                });
        channel = b.bind(address, port).sync().channel();
        return (InetSocketAddress) channel.localAddress();
    }

    /** Builds a client connection's pipeline; returns the connection its session writes to. */
    TcpConnection pipeline(Channel ch, XmlStreamDecoder decoder) {
        Config config = services.config();
        Duration handshakeTimeout = config.c2s().tlsHandshakeTimeout();
        TcpConnection connection = new TcpConnection(ch, services.serverJid(), directTls, sslContext, decoder,
                handshakeTimeout, config.c2s().maxPendingOutputBytes(), config.c2s().closeTimeout());
        ChannelPipeline p = ch.pipeline();
        p.addLast(ConnectionGuard.NAME, new ConnectionGuard(connection.id(), config.c2s().sendTimeout()));
        if (directTls) {
            SslHandler tls = new SslHandler(sslContext.newEngine(ch.alloc()));
            tls.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
            p.addLast(TLS, tls);
        }
        p.addLast("idle", new IdleTimers(config.ping().idle().toMillis(), config.c2s().keepaliveInterval().toMillis()));
        InboundShaper shaper = new InboundShaper(shaping);
        p.addLast(InboundShaper.NAME, shaper);
        p.addLast("xml-decoder", decoder);
        p.addLast("xml-encoder", new XmlEncoder(Namespaces.CLIENT));
        p.addLast("session", new C2sHandler(connection, sessions,
                config.c2s().maxQueuedStanzas(), shaper, decoder, services.inbound()));
        return connection;
    }

    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
    }
}
