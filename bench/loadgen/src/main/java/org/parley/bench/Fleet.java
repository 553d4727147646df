package org.parley.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connections of this generator process: opens them at a paced rate, each from one of
 * several loopback source addresses (127.0.0.2, 127.0.0.3, ...) so no single source address
 * runs out of ephemeral ports, and tracks which users are online.
 */
final class Fleet implements AutoCloseable {
    private final Target target;
    private final Ports ports;
    private final List<String> sources;
    private final RunClock clock;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final Map<Integer, XmppConnection> online = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger existed = new AtomicInteger();
    private final Map<String, AtomicInteger> failureReasons = new ConcurrentHashMap<>();
    private final AtomicLong lastDoneNanos = new AtomicLong();
    private volatile XmppConnection.Listener delegate;

    Fleet(Target target, Ports ports, List<String> sources, int threads, RunClock clock) {
        this(target, ports, sources, threads, false, clock);
    }

    /**
     * On epoll the connections are level-triggered: one read per readable event, where Netty's
     * default (edge-triggered) reads again after every read that got bytes until one gets none, a
     * second system call for each stanza received (a copy of a group chat message, 5,000 of them
     * per message in a room of 5,000, on the generator's one core).
     *
     * <p>{@code busyPoll} (epoll only): one event loop that polls without sleeping instead of
     * {@code threads} loops that sleep in {@code epoll_wait}. Over loopback a server's write to a
     * sleeping reader also wakes the reader's thread on the other core, an inter-processor
     * interrupt that the server's core pays for every copy and that a remote client never costs
     * it; a polling reader is never asleep. It takes the generator's whole core (its CPU column
     * then reads 100%), so it is for a generator pinned to a core of its own.
     */
    Fleet(Target target, Ports ports, List<String> sources, int threads, boolean busyPoll, RunClock clock) {
        this.target = target;
        this.ports = ports;
        this.sources = sources;
        this.clock = clock;
        boolean epoll = Epoll.isAvailable();
        // epoll_wait without a timeout, again and again, running queued tasks between the polls. (Netty's own
        // BUSY_WAIT spins inside one native call until a socket is ready, and no task wakes it: a send
        // queued by the pacer while no copy arrives would wait for the next one.)
        SelectStrategyFactory busy = () -> (selectNow, hasTasks) -> selectNow.get();
        this.group = !epoll ? new NioEventLoopGroup(threads)
                : busyPoll ? new EpollEventLoopGroup(1, busy) : new EpollEventLoopGroup(threads);
        this.bootstrap = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
        if (epoll) {
            bootstrap.option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
        }
    }

    /** Where incoming messages and pongs go; set before traffic starts. */
    void listen(XmppConnection.Listener listener) {
        this.delegate = listener;
    }

    /**
     * Opens one connection per user at {@code rate} per second and waits until every one is
     * online or failed, or {@code timeoutNanos} pass. Returns the number that came online.
     */
    int open(int[] users, XmppConnection.Mode mode, double rate, long timeoutNanos) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(users.length);
        XmppConnection.Listener tracker = new XmppConnection.Listener() {
            @Override
            public void online(XmppConnection c) {
                online.put(c.user(), c);
                finished(done);
            }

            @Override
            public void registered(XmppConnection c, boolean isNew) {
                (isNew ? created : existed).incrementAndGet();
                finished(done);
            }

            @Override
            public void failed(XmppConnection c, String reason) {
                boolean wasOnline = online.remove(c.user(), c);
                failures.incrementAndGet();
                failureReasons.computeIfAbsent(reason.replaceAll("[0-9]+", "#"), r -> new AtomicInteger()).incrementAndGet();
                if (!wasOnline) {
                    finished(done);
                }
            }

            @Override
            public void message(XmppConnection c, String stanza) {
                XmppConnection.Listener d = delegate;
                if (d != null) {
                    d.message(c, stanza);
                }
            }

            @Override
            public void pong(XmppConnection c) {
                XmppConnection.Listener d = delegate;
                if (d != null) {
                    d.pong(c);
                }
            }

            @Override
            public void iq(XmppConnection c, String stanza) {
                XmppConnection.Listener d = delegate;
                if (d != null) {
                    d.iq(c, stanza);
                }
            }

            @Override
            public void presence(XmppConnection c, String stanza) {
                XmppConnection.Listener d = delegate;
                if (d != null) {
                    d.presence(c, stanza);
                }
            }
        };
        long deadline = clock.nowNanos() + timeoutNanos;
        new Pacer(clock).run(rate, users.length, deadline, i -> {
            connect(users[(int) i], mode, tracker, done);
            return true;
        });
        done.await(Math.max(1, deadline - clock.nowNanos()), TimeUnit.NANOSECONDS);
        return online.size();
    }

    private void connect(int user, XmppConnection.Mode mode, XmppConnection.Listener tracker, CountDownLatch done) {
        XmppConnection conn = new XmppConnection(target, user, mode, tracker);
        String source = sources.get(user % sources.size());
        ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast("split", conn.splitter()).addLast("xmpp", conn);
            }
        }).connect(new InetSocketAddress(target.host(), ports.of(user)), new InetSocketAddress(source, 0));
        f.addListener(r -> {
            if (!r.isSuccess()) {
                tracker.failed(conn, "connect: " + r.cause().getMessage());
            }
        });
    }

    private void finished(CountDownLatch done) {
        lastDoneNanos.set(clock.nowNanos());
        done.countDown();
    }

    long lastDoneNanos() {
        return lastDoneNanos.get();
    }

    Map<Integer, XmppConnection> online() {
        return online;
    }

    int failures() {
        return failures.get();
    }

    int created() {
        return created.get();
    }

    int existed() {
        return existed.get();
    }

    /** The most frequent failure reason, for the summary's note column. */
    String topFailure() {
        return failureReasons.entrySet().stream()
                .max((a, b) -> Integer.compare(a.getValue().get(), b.getValue().get()))
                .map(e -> e.getValue().get() + "x " + e.getKey())
                .orElse("");
    }

    @Override
    public void close() {
        online.values().forEach(XmppConnection::close);
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
