package org.parley.bench;

import com.fasterxml.aalto.AsyncXMLInputFactory;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.parley.xml.XmlLimits;
import org.parley.xml.XmlStreamDecoder;

/**
 * The decoder's per-connection cost: a new decoder reading the stream header and one chat
 * message. {@code C2sListener} builds each decoder with its own Aalto factory, so every connection
 * starts with an empty symbol table; the decoder's second constructor shares one.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class ConnectionBenchmark {
    private final AsyncXMLInputFactory shared = XmlStreamDecoder.secureFactory();
    private final XmlLimits limits = XmlLimits.defaults();
    private ByteBuf header;
    private ByteBuf message;

    @Setup(Level.Trial)
    public void setUp() {
        header = Fixtures.utf8(Fixtures.STREAM_HEADER);
        message = Fixtures.utf8(Fixtures.MESSAGE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        header.release();
        message.release();
    }

    /** As the server does today: {@code new XmlStreamDecoder(limits)} per connection. */
    @Benchmark
    public Object newDecoderOwnFactory() {
        return open(new XmlStreamDecoder(limits));
    }

    /** With one factory shared by all connections. */
    @Benchmark
    public Object newDecoderSharedFactory() {
        return open(new XmlStreamDecoder(limits, shared));
    }

    private Object open(XmlStreamDecoder decoder) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.writeInbound(header.retainedDuplicate(), message.retainedDuplicate());
        ch.readInbound();
        Object stanza = ch.readInbound();
        ch.finishAndReleaseAll();
        if (stanza == null) {
            throw new IllegalStateException("message not decoded");
        }
        return stanza;
    }
}
