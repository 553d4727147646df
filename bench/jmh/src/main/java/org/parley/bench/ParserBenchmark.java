package org.parley.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.parley.bench.Fixtures.Kind;
import org.parley.xml.XmlStreamDecoder;

/**
 * {@link XmlStreamDecoder} in a Netty pipeline, bytes in and {@code Element}s out. Scores are
 * per stanza; bytes/s is the score times {@link #stanzaBytes} (printed at setup).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class ParserBenchmark {
    /** Stanzas in one buffer for the bulk case: a busy stream where one read holds many stanzas. */
    static final int BATCH = 100;

    @Param
    Kind kind;

    int stanzaBytes;
    private EmbeddedChannel channel;
    private ByteBuf one;
    private ByteBuf batch;

    @Setup(Level.Trial)
    public void setUp() {
        String xml = Fixtures.xml(kind);
        stanzaBytes = Fixtures.utf8Length(xml);
        System.out.println("\n" + kind + ": " + stanzaBytes + " bytes per stanza");
        one = Fixtures.utf8(xml);
        batch = Fixtures.utf8(xml.repeat(BATCH));
        channel = Fixtures.decoderChannel();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
        one.release();
        batch.release();
    }

    /** The common network case: each read delivers one stanza. */
    @Benchmark
    public void oneStanzaPerBuffer(Blackhole bh) {
        channel.writeInbound(one.retainedDuplicate());
        bh.consume(channel.<Object>readInbound());
    }

    /** {@value #BATCH} stanzas arriving in one read. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void manyStanzasPerBuffer(Blackhole bh) {
        channel.writeInbound(batch.retainedDuplicate());
        Object o;
        while ((o = channel.readInbound()) != null) {
            bh.consume(o);
        }
    }
}
