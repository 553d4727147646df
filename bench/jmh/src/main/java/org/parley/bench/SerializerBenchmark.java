package org.parley.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.parley.bench.Fixtures.Kind;
import org.parley.xml.Element;
import org.parley.xml.XmlEncoder;
import org.parley.xmpp.Namespaces;

/** Outbound serialisation: {@link XmlEncoder} in a pipeline with the pooled allocator, and {@link Element#toXml(String)}. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class SerializerBenchmark {

    @Param
    Kind kind;

    private Element element;
    private EmbeddedChannel channel;

    @Setup(Level.Trial)
    public void setUp() {
        element = Fixtures.element(kind);
        channel = new EmbeddedChannel(new XmlEncoder(Namespaces.CLIENT));
        // Netty's default allocator is pooled; make the benchmark say so rather than depend on it.
        channel.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        String expected = element.toXml(Namespaces.CLIENT);
        int length = encoderToByteBuf();
        if (length != Fixtures.utf8Length(expected)) {
            throw new IllegalStateException("encoder wrote " + length + " bytes for " + expected);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    /** What {@code C2sSession.deliver} ends in: the Element written, UTF-8 bytes out (buffer released, as the socket would). */
    @Benchmark
    public int encoderToByteBuf() {
        channel.writeOutbound(element);
        ByteBuf out = channel.readOutbound();
        int length = out.readableBytes();
        out.release();
        return length;
    }

    @Benchmark
    public String elementToXml() {
        return element.toXml(Namespaces.CLIENT);
    }
}
