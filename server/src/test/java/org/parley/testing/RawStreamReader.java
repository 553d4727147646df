package org.parley.testing;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.parley.xml.Element;
import org.parley.xml.XmlLimits;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xmpp.Namespaces;

/**
 * The receiving half of {@link RawStreamClient}: reads what the server sends on a thread of its
 * own and parses it with Parley's stream decoder into queued items. It reads all along, not on
 * demand, so that an answer the server sends before closing is kept even when the client's write
 * then fails and the TLS socket tears itself down.
 */
final class RawStreamReader implements AutoCloseable {
    /** Queued when the server closes the connection (or it breaks). */
    static final Object CLOSED = new Object() {
        @Override
        public String toString() {
            return "CLOSED";
        }
    };

    private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private final XmlStreamDecoder decoder = new XmlStreamDecoder(new XmlLimits(16 * 1024 * 1024, 64));
    private final EmbeddedChannel parser;
    private Thread thread;
    private boolean tlsNext;

    RawStreamReader() {
        this.parser = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Element e && (e.is("success", Namespaces.SASL) || e.is("proceed", Namespaces.TLS))) {
                    // The server's next bytes start a new stream (RFC 6120 §5.4.3.3, §6.4.6); after
                    // <proceed/> they are TLS, which belong to the handshake, not to this reader.
                    decoder.reset();
                    tlsNext = e.is("proceed", Namespaces.TLS);
                }
                items.add(msg);
            }
        });
    }

    /** Starts reading {@code in}; any earlier reading must have ended ({@link #awaitEnd()}). */
    void start(InputStream in) {
        tlsNext = false;
        thread = Thread.ofVirtual().name("raw-stream-reader").start(() -> read(in));
    }

    /** Waits until reading stops: after {@code <proceed/>}, or once the connection is gone. */
    void awaitEnd() {
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next StreamHeader, Element, StreamEnd or {@link #CLOSED}; null if none came in time. */
    Object poll(Duration timeout) {
        try {
            return items.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void read(InputStream in) {
        byte[] buf = new byte[16 * 1024];
        try {
            int n;
            while (!tlsNext && (n = in.read(buf)) >= 0) {
                parser.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
            }
        } catch (IOException | RuntimeException e) {
            // A reset or a parse failure both end what the client can see.
        }
        if (!tlsNext) {
            items.add(CLOSED);
        }
    }

    /** Call after closing the socket, so that reading ends. */
    @Override
    public void close() {
        awaitEnd();
        parser.finishAndReleaseAll();
    }
}
