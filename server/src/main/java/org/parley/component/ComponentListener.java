package org.parley.component;

import com.fasterxml.aalto.AsyncXMLInputFactory;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executor;
import org.parley.eventloop.EventLoops;
import org.parley.route.Directory;
import org.parley.route.Router;
import org.parley.xml.XmlEncoder;
import org.parley.xml.XmlLimits;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StreamError;

/**
 * The XEP-0114 listener ({@code components.port}, 5347 by default). The pipeline is
 * {@code XmlStreamDecoder → XmlEncoder(jabber:component:accept) → ComponentHandler}, with the
 * same parser limits as client streams.
 */
public final class ComponentListener {
    private final ComponentServices services;
    private final XmlLimits limits;
    private final Object bindLock = new Object();
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel channel;

    public ComponentListener(Jid serverJid, Map<String, String> secrets, Directory directory, Router router,
                             Executor executor, XmlLimits limits) {
        this.services = new ComponentServices(serverJid, Map.copyOf(secrets), directory, router, executor);
        this.limits = limits;
    }

    /** Binds the port (0 picks a free one) and returns the bound address. */
    public InetSocketAddress bind(EventLoops loops, String address, int port)
            throws InterruptedException {
        AsyncXMLInputFactory parsers = XmlStreamDecoder.secureFactory();
        var b = loops.serverBootstrap()
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("xml-decoder", new XmlStreamDecoder(limits, parsers));
                        p.addLast("xml-encoder", new XmlEncoder(ComponentNamespaces.ACCEPT));
                        p.addLast("component", new ComponentHandler(services, bindLock));
                    }
                });
        channel = b.bind(address, port).sync().channel();
        return (InetSocketAddress) channel.localAddress();
    }

    /** Stops accepting and ends every component stream with system-shutdown. */
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
            channel = null;
        }
        for (Channel c : connections) {
            ComponentHandler h = c.pipeline().get(ComponentHandler.class);
            if (h != null) {
                h.close(StreamError.of(StreamError.Condition.SYSTEM_SHUTDOWN));
            }
        }
    }
}
