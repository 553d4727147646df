package org.parley.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.session.FanOut;
import org.parley.xml.Element;
import org.parley.xml.SharedEncoding;
import org.parley.xml.StreamHeader;
import org.parley.xml.XmlEncoder;
import org.parley.xml.XmlLimits;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StreamError;
import org.parley.xmpp.StreamError.Condition;

/** How a client connection over TCP writes: framing, batching, closing, restarting. */
class TcpConnectionTest {
    private static final String HEADER = "<?xml version='1.0'?><stream:stream to='localhost' version='1.0' "
            + "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
    private static final Jid SERVER = Jid.domain("localhost");

    /** Counts the flushes that reach the socket. */
    @Sharable
    private static final class Flushes extends ChannelOutboundHandlerAdapter {
        volatile int count;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            count++;
            ctx.flush();
        }
    }

    private final Flushes flushes = new Flushes();
    private EmbeddedChannel channel;
    private TcpConnection connection;

    @BeforeEach
    void setUp() throws Exception {
        channel = new EmbeddedChannel(false, false);
        XmlStreamDecoder decoder = new XmlStreamDecoder(XmlLimits.defaults());
        connection = new TcpConnection(channel, SERVER, false, null, decoder, java.time.Duration.ofMinutes(1), Long.MAX_VALUE,
                java.time.Duration.ofSeconds(2));
        channel.pipeline().addLast(flushes, decoder, new XmlEncoder());
        channel.register();
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private String out() {
        return Wire.out(channel);
    }

    /** Opens the stream and flushes the header, as the features that follow it do. */
    private void opened() {
        connection.open("s1", SERVER);
        connection.send(Element.empty("features", Namespaces.STREAMS));
        assertThat(out()).endsWith("<stream:features/>");
    }

    private static Element message(String id) {
        return Element.builder("message", Namespaces.CLIENT).attr("id", id).build();
    }

    @Test
    void opensTheStreamAndWritesStreamElementsWithTheStreamPrefix() {
        connection.open("s1", SERVER);
        connection.send(Element.builder("features", Namespaces.STREAMS)
                .child(Element.builder("mechanisms", Namespaces.SASL)
                        .textChild("mechanism", Namespaces.SASL, "SCRAM-SHA-256").build())
                .build());
        assertThat(out()).isEqualTo("<?xml version='1.0'?><stream:stream xmlns=\"jabber:client\" "
                + "xmlns:stream=\"http://etherx.jabber.org/streams\" id=\"s1\" from=\"localhost\" version=\"1.0\" "
                + "xml:lang=\"en\"><stream:features><mechanisms xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\">"
                + "<mechanism>SCRAM-SHA-256</mechanism></mechanisms></stream:features>");
        assertThat(flushes.count).as("the header waits for the features").isEqualTo(1);
    }

    /**
     * A connection on a real event loop, for what the embedded channel cannot show: it runs queued
     * tasks inside every write, so neither batching nor the order within one task is visible there.
     */
    private static final class Loopback implements AutoCloseable {
        final DefaultEventLoopGroup loop = new DefaultEventLoopGroup(1);
        final Flushes flushes = new Flushes();
        final StringBuffer received = new StringBuffer();
        final TcpConnection connection;

        Loopback() throws Exception {
            LocalAddress address = new LocalAddress("tcp-connection-" + UUID.randomUUID());
            CompletableFuture<TcpConnection> accepted = new CompletableFuture<>();
            new ServerBootstrap().group(loop).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInitializer<LocalChannel>() {
                        @Override
                        protected void initChannel(LocalChannel ch) {
                            XmlStreamDecoder decoder = new XmlStreamDecoder(XmlLimits.defaults());
                            ch.pipeline().addLast(flushes, decoder, new XmlEncoder());
                            accepted.complete(new TcpConnection(ch, SERVER, false, null, decoder, java.time.Duration.ofMinutes(1), Long.MAX_VALUE,
                java.time.Duration.ofSeconds(2)));
                        }
                    }).bind(address).sync();
            new Bootstrap().group(loop).channel(LocalChannel.class).handler(new SimpleChannelInboundHandler<ByteBuf>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf b) {
                    received.append(b.toString(StandardCharsets.UTF_8));
                }
            }).connect(address).sync();
            connection = accepted.get(5, TimeUnit.SECONDS);
        }

        /** Keeps the event loop busy until the returned latch is counted down. */
        CountDownLatch hold() {
            CountDownLatch busy = new CountDownLatch(1);
            loop.execute(() -> {
                try {
                    busy.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return busy;
        }

        /** Flushes so far; read on the loop, after what was queued before. */
        int flushes() throws Exception {
            CompletableFuture<Integer> count = new CompletableFuture<>();
            loop.execute(() -> count.complete(flushes.count));
            return count.get(5, TimeUnit.SECONDS);
        }

        void awaitReceived(String expected) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!received.toString().equals(expected) && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertThat(received.toString()).isEqualTo(expected);
        }

        @Override
        public void close() {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Deliveries queued while the loop is busy are written by one task each and flushed once. */
    @Test
    void aBurstOfStanzasIsFlushedOnce() throws Exception {
        try (Loopback wire = new Loopback()) {
            int before = wire.flushes();
            CountDownLatch busy = wire.hold();
            for (int i = 0; i < 5; i++) {
                wire.connection.write(message("m" + i));
            }
            busy.countDown();
            wire.awaitReceived("<message id=\"m0\"/><message id=\"m1\"/><message id=\"m2\"/><message id=\"m3\"/>"
                    + "<message id=\"m4\"/>");
            assertThat(wire.flushes() - before).isEqualTo(1);
        }
    }

    /**
     * The copies of a fan-out are queued on the loop without waking it for each; they still go out
     * in call order with what another thread writes to the same connection meanwhile, each from the
     * shared bytes with its own 'to', and nothing is left behind when the fan-out ends.
     */
    @Test
    void aFanOutsCopiesKeepTheirPlaceAmongTheConnectionsOtherWrites() throws Exception {
        try (Loopback wire = new Loopback()) {
            SharedEncoding shared = new SharedEncoding(Element.builder("message", Namespaces.CLIENT)
                    .attr("from", "room@conference.localhost/ann").attr("type", "groupchat")
                    .child(Element.builder("body", Namespaces.CLIENT).text("hi & bye").build()).build());
            StringBuilder expected = new StringBuilder();
            try (FanOut fanOut = FanOut.open()) {
                for (int i = 0; i < 3 * 32 + 7; i++) {
                    if (i == 50) {
                        // Another sender's stanza, written while the fan-out is half done.
                        Thread other = Thread.ofVirtual().start(() -> wire.connection.write(message("other")));
                        other.join();
                        expected.append("<message id=\"other\"/>");
                    }
                    Element copy = shared.to("u" + i + "@localhost/r");
                    assertThat(wire.connection.write(copy)).isTrue();
                    expected.append(copy.toXml(Namespaces.CLIENT));
                }
            }
            wire.awaitReceived(expected.toString());
        }
    }

    /**
     * A lone stanza (what each connection gets of a fan-out) is flushed by the task that writes it:
     * the loop's next task, another connection's copy, finds it already on its way. Its flush used
     * to be a second task queued behind everything else on the loop, so in a fan-out every copy
     * waited for the encoding of the whole batch.
     */
    @Test
    void aLoneStanzaIsFlushedByTheTaskThatWritesIt() throws Exception {
        try (Loopback wire = new Loopback()) {
            int before = wire.flushes();
            CountDownLatch busy = wire.hold();
            wire.connection.write(message("a"));
            CompletableFuture<Integer> next = new CompletableFuture<>();
            wire.loop.execute(() -> next.complete(wire.flushes.count));
            busy.countDown();
            assertThat(next.get(5, TimeUnit.SECONDS) - before).isEqualTo(1);
            wire.awaitReceived("<message id=\"a\"/>");
        }
    }

    /** An acknowledgement request goes right behind its stanza, before anything written later. */
    @Test
    void aStanzaAndTheRequestBehindItGoOutTogether() throws Exception {
        try (Loopback wire = new Loopback()) {
            int before = wire.flushes();
            CountDownLatch busy = wire.hold();
            wire.connection.write(message("a"), Element.empty("r", "urn:xmpp:sm:3"));
            wire.connection.write(message("b"), null);
            busy.countDown();
            wire.awaitReceived("<message id=\"a\"/><r xmlns=\"urn:xmpp:sm:3\"/><message id=\"b\"/>");
            assertThat(wire.flushes() - before).isEqualTo(1);
        }
    }

    @Test
    void writesKeepTheirOrderWhateverMadeThem() {
        opened();
        connection.write(message("a"));
        connection.send(Element.empty("r", "urn:xmpp:sm:3"));
        connection.write(message("b"));
        assertThat(out()).isEqualTo("<message id=\"a\"/><r xmlns=\"urn:xmpp:sm:3\"/><message id=\"b\"/>");
    }

    @Test
    void closingAStreamNeverOpenedOpensItFirstAndLaterWritesAreDropped() {
        connection.close(StreamError.of(Condition.HOST_UNKNOWN));
        connection.write(message("late"));
        connection.send(Element.empty("r", "urn:xmpp:sm:3"));
        String out = out();
        assertThat(out).startsWith("<?xml version='1.0'?><stream:stream xmlns=\"jabber:client\"")
                .contains(" from=\"localhost\" ")
                .endsWith("<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"
                        + "</stream:stream>");
        assertThat(channel.isOpen()).isFalse();
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void closingAnOpenStreamEndsIt() {
        opened();
        connection.close(null);
        assertThat(out()).isEqualTo("</stream:stream>");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aRestartResetsTheParserBeforeWritingTheLastElement() {
        channel.writeInbound(Unpooled.copiedBuffer(HEADER, StandardCharsets.UTF_8));
        assertThat((Object) channel.readInbound()).isInstanceOf(StreamHeader.class);
        connection.open("s1", SERVER);
        connection.restartStream(Element.empty("success", Namespaces.SASL));
        assertThat(out()).endsWith("<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>");
        // A second document on the same connection: a header again, with its own XML declaration.
        channel.writeInbound(Unpooled.copiedBuffer(HEADER, StandardCharsets.UTF_8));
        assertThat((Object) channel.readInbound()).isInstanceOf(StreamHeader.class);
        connection.keepalive();
        assertThat(out()).as("no keepalive until the server reopens its side").isEmpty();
    }

    @Test
    void keepalivesOnlyInsideAnOpenStream() {
        connection.keepalive();
        assertThat(out()).isEmpty();
        opened();
        connection.keepalive();
        assertThat(out()).isEqualTo(" ");
        connection.close(null);
        out();
        connection.keepalive();
        assertThat(out()).isEmpty();
    }

    @Test
    void withoutATlsContextThereIsNoStartTls() {
        assertThat(connection.canStartTls()).isFalse();
        assertThat(connection.isSecure()).isFalse();
        assertThat(connection.transport()).isEqualTo("tcp");
    }

    @Test
    void directTlsIsSecureFromTheStartAndOffersNoStartTls() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            TcpConnection direct = new TcpConnection(ch, SERVER, true, null, new XmlStreamDecoder(XmlLimits.defaults()), java.time.Duration.ofMinutes(1), Long.MAX_VALUE,
                java.time.Duration.ofSeconds(2));
            assertThat(direct.isSecure()).isTrue();
            assertThat(direct.canStartTls()).isFalse();
            assertThat(direct.transport()).isEqualTo("tcp+directtls");
            assertThat(direct.id()).hasSize(8).isNotEqualTo(connection.id());
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
