package org.parley.eventloop;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The server's Netty event loops and the server socket channel type that goes with them, chosen in
 * one place ({@code network.transport}) so that every listener (c2s, direct TLS, components, HTTP)
 * runs on the same transport and no other class names one.
 *
 * <p>Linux's epoll through Netty's native transport is the default where its library loads: a
 * group chat message to a room of 5,000 is 5,000 socket writes on one event loop, and the native
 * transport writes straight from Netty's buffers with {@code writev} and waits with
 * {@code epoll_wait}, without the JDK selector's key sets, locks and per-call bookkeeping that
 * NIO adds to each write and wake-up. NIO remains for every other system and as a choice
 * ({@code nio}); the server behaves the same on both (TLS, WebSocket, BOSH, back-pressure through
 * channel writability), which the test suite checks on each.
 */
public final class EventLoops {
    /** The socket transport the loops run. */
    public enum Transport { EPOLL, NIO }

    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;

    private EventLoops(Transport transport) {
        this.transport = transport;
        DefaultThreadFactory accept = new DefaultThreadFactory("parley-accept");
        DefaultThreadFactory io = new DefaultThreadFactory("parley-io");
        // Workers: Netty's default of twice the CPUs (0).
        if (transport == Transport.EPOLL) {
            boss = new EpollEventLoopGroup(1, accept);
            workers = new EpollEventLoopGroup(0, io);
        } else {
            boss = new NioEventLoopGroup(1, accept);
            workers = new NioEventLoopGroup(0, io);
        }
    }

    /**
     * Starts the loops of the transport the setting names.
     *
     * @param setting {@code auto} (epoll where it loads, else NIO), {@code epoll} (which must load),
     *                or {@code nio}
     * @throws IllegalStateException for {@code epoll} where Netty's native transport does not load
     */
    public static EventLoops start(String setting) {
        return new EventLoops(choose(setting, Epoll.isAvailable()));
    }

    /** The transport for a setting, given whether epoll loads here. */
    static Transport choose(String setting, boolean epollAvailable) {
        return switch (setting) {
            case "auto" -> epollAvailable ? Transport.EPOLL : Transport.NIO;
            case "nio" -> Transport.NIO;
            case "epoll" -> {
                if (!epollAvailable) {
                    throw new IllegalStateException("network.transport is epoll, but Netty's native epoll transport"
                            + " does not load here (" + Epoll.unavailabilityCause() + "): use auto or nio");
                }
                yield Transport.EPOLL;
            }
            default -> throw new IllegalArgumentException("unknown network.transport " + setting);
        };
    }

    public Transport transport() {
        return transport;
    }

    /** A listener's bootstrap: accepted on the accept loop, its connections on the I/O loops. */
    public ServerBootstrap serverBootstrap() {
        Class<? extends ServerChannel> channel = transport == Transport.EPOLL
                ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        return new ServerBootstrap().group(boss, workers).channel(channel);
    }

    /** Stops the loops: the I/O loops get a moment to write what is queued, then the accept loop. */
    public void close() {
        workers.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
