package org.parley.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
import org.parley.route.Handlers;
import org.parley.route.IqTracker;
import org.parley.route.LocalDirectory;
import org.parley.route.Phase;
import org.parley.route.Router;
import org.parley.route.Stage;
import org.parley.route.StanzaHook;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;

/**
 * {@link Router#routeFromClient} for a chat message between two local users, with
 * {@value #SESSIONS} bound sessions (one resource per user), with no hooks or with {@code hooks}
 * no-op hooks in each of the OUTBOUND, INBOUND and DELIVER phases. Each hook is its own class, so
 * the hook call site is megamorphic as it is with real features.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class RouterBenchmark {
    static final int SESSIONS = 10_000;
    static final String DOMAIN = "capulet.example";

    @Param({"0", "3"})
    int hooks;

    private ScheduledExecutorService scheduler;
    private Router router;
    private CountingSession origin;
    private CountingSession target;
    private Stanza toBare;
    private Stanza toFull;
    private Element fromWire;

    @Setup(Level.Trial)
    public void setUp() {
        Handlers handlers = new Handlers();
        StanzaHook[] noOps = {(s, session) -> s, (s, session) -> s, (s, session) -> s};
        for (Phase phase : new Phase[] {Phase.OUTBOUND, Phase.INBOUND, Phase.DELIVER}) {
            for (int i = 0; i < hooks; i++) {
                handlers.hook(phase, Stage.COPY, "noop" + i, noOps[i % noOps.length]);
            }
        }
        handlers.seal();
        LocalDirectory directory = new LocalDirectory();
        Stanza available = Stanza.presence(null, null, null);
        for (int i = 0; i < SESSIONS; i++) {
            directory.bind(new CountingSession(Jid.of("user" + i + "@" + DOMAIN + "/phone"), available));
        }
        origin = (CountingSession) directory.session(Jid.of("user17@" + DOMAIN + "/phone"));
        target = (CountingSession) directory.session(Jid.of("user4242@" + DOMAIN + "/phone"));
        scheduler = Executors.newSingleThreadScheduledExecutor();
        router = new Router(Jid.domain(DOMAIN), directory, handlers, local -> true, new IqTracker(scheduler));

        Element message = Fixtures.element(Kind.MESSAGE);
        Element full = message.withAttr("from", origin.jid().toString()).withAttr("to", target.jid().toString());
        toFull = Stanza.of(full);
        toBare = Stanza.of(full.withAttr("to", target.jid().bare().toString()));
        fromWire = full.withAttr("from", null);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scheduler.shutdownNow();
        if (target.deliveries == 0 || origin.deliveries != 0) {
            throw new IllegalStateException("routed to the wrong place: target " + target.deliveries
                    + ", origin " + origin.deliveries);
        }
    }

    @Benchmark
    public Stanza routeToBareJid() {
        router.routeFromClient(toBare, origin);
        return target.last;
    }

    @Benchmark
    public Stanza routeToFullJid() {
        router.routeFromClient(toFull, origin);
        return target.last;
    }

    /**
     * The whole per-stanza path after parsing, as {@code C2sSession} runs it: wrap the element
     * (parsing 'to'), stamp the session's 'from', route to a full JID.
     */
    @Benchmark
    public Stanza wrapStampAndRouteToFullJid() {
        router.routeFromClient(Stanza.of(fromWire).withFrom(origin.jid()), origin);
        return target.last;
    }
}
