package org.parley.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.parley.bench.Fixtures.Kind;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;

/** The per-stanza address work: wrapping an Element as a Stanza, parsing JIDs, stamping 'from'. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class StanzaBenchmark {
    // Fields, not constants, so the JIT cannot fold the parsing away.
    String asciiJid = "juliet@capulet.example/balcony";
    /** Upper-case ASCII misses the fast path: full PRECIS for the localpart, IDNA for the domain. */
    String mixedCaseJid = "Juliet@Capulet.example/balcony";
    /** Non-ASCII in all three parts: PRECIS UsernameCaseMapped, IDNA and PRECIS OpaqueString. */
    String nonAsciiJid = "jülíet@čapulet.example/bälcony";

    private Element message;
    private Stanza stanza;
    private Jid full;
    private Jid otherFull;

    @Setup(Level.Trial)
    public void setUp() {
        message = Fixtures.element(Kind.MESSAGE);
        stanza = Stanza.of(message);
        full = stanza.from();
        otherFull = Jid.of("romeo@montague.example/garden");
    }

    /** Both addresses parsed (ASCII full JIDs, the fast path). */
    @Benchmark
    public Stanza stanzaOf() {
        return Stanza.of(message);
    }

    /** What a c2s session does to every stanza: stamp the bound full JID as 'from'. */
    @Benchmark
    public Stanza withFrom() {
        return stanza.withFrom(otherFull);
    }

    @Benchmark
    public Jid jidOfAscii() {
        return Jid.of(asciiJid);
    }

    @Benchmark
    public Jid jidOfMixedCaseAscii() {
        return Jid.of(mixedCaseJid);
    }

    @Benchmark
    public Jid jidOfNonAscii() {
        return Jid.of(nonAsciiJid);
    }

    /** Called several times per routed stanza (router and directory lookups). */
    @Benchmark
    public Jid jidBare() {
        return full.bare();
    }
}
