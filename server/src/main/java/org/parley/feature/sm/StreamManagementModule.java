package org.parley.feature.sm;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.parley.config.Option;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.module.PendingWrites;
import org.parley.route.Directory;
import org.parley.route.Router;
import org.parley.session.Adoption;
import org.parley.session.ClientStream;
import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.session.SessionListener;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StreamError;
import org.parley.xmpp.delay.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XEP-0198: owns the {@code urn:xmpp:sm:3} nonzas, keeps a {@link SmState} per enabled session,
 * requests acknowledgements, and ends or resumes detached sessions.
 */
public final class StreamManagementModule implements Module, SessionListener, SmState.Owner {
    private static final Logger log = LoggerFactory.getLogger(StreamManagementModule.class);
    private static final SessionKey<SmState> STATE = new SessionKey<>("sm.state");

    private final SecureRandom random = new SecureRandom();
    /** The enabled sessions of this node by resumption id (another node's are found through the directory). */
    private final Map<String, SmState> states = new ConcurrentHashMap<>();
    private Router router;
    private Directory directory;
    private PendingWrites pendingWrites;
    private Jid server;
    private Clock clock;
    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> requests;
    private Duration resumeTimeout;
    private Duration maxResumeTimeout;
    private int requestEvery;
    private SmState.Limits limits;
    private Duration ackTimeout;
    private ScheduledFuture<?> ackChecks;
    /** Whether other nodes may continue this node's sessions: only then is what they need recorded. */
    private boolean clustered;

    @Override
    public String name() {
        return "sm";
    }

    @Override
    public List<Option<?>> options() {
        return SmOptions.ALL;
    }

    @Override
    public void start(ModuleContext ctx) {
        router = ctx.router();
        directory = ctx.directory();
        clustered = ctx.clusterNodeId().isPresent();
        pendingWrites = ctx.pendingWrites();
        server = ctx.serverJid();
        clock = ctx.clock();
        scheduler = ctx.scheduler();
        maxResumeTimeout = ctx.option(SmOptions.MAX_RESUME_TIMEOUT);
        Duration resume = ctx.option(SmOptions.RESUME_TIMEOUT);
        resumeTimeout = resume.compareTo(maxResumeTimeout) > 0 ? maxResumeTimeout : resume;
        requestEvery = ctx.option(SmOptions.REQUEST_ACK_EVERY);
        int maxUnacked = ctx.option(SmOptions.MAX_UNACKED);
        Duration requestInterval = ctx.option(SmOptions.REQUEST_ACK_INTERVAL);
        limits = new SmState.Limits(maxUnacked, Math.max(maxUnacked, ctx.option(SmOptions.MAX_QUEUED)),
                requestInterval);
        ctx.features().boundStreamFeature(Sm.feature());
        ctx.nonza(Sm.NAMESPACE, this::nonza);
        ctx.unauthenticatedNonza(Sm.NAMESPACE, StreamManagementModule::beforeAuthentication);
        ctx.listener(this);
        long every = requestInterval.toMillis();
        requests = scheduler.scheduleWithFixedDelay(this::requestAcks, every, every, TimeUnit.MILLISECONDS);
        ackTimeout = ctx.option(SmOptions.ACK_TIMEOUT);
        long check = Math.max(50, ackTimeout.toMillis() / 4);
        ackChecks = scheduler.scheduleWithFixedDelay(this::dropSilentConnections, check, check, TimeUnit.MILLISECONDS);
    }

    /** §3: {@code <enable/>} (or {@code <resume/>}, {@code <r/>}) before authentication fails; the stream goes on. */
    private static void beforeAuthentication(ClientStream stream, Element e) {
        if (!"a".equals(e.name())) {
            stream.send(Sm.failed("unexpected-request", null, null));
        }
    }

    private void nonza(ClientStream stream, Element e) {
        switch (e.name()) {
            case "r" -> answerRequest(stream);
            case "a" -> ack(stream, e);
            case Enable.ELEMENT -> enable(stream, Enable.from(e));
            case Resume.ELEMENT -> resume(stream, Resume.from(e));
            default -> stream.close(StreamError.of(StreamError.Condition.UNSUPPORTED_STANZA_TYPE,
                    "unknown stream management element " + e.name()));
        }
    }

    private void answerRequest(ClientStream stream) {
        if (stream.observer() instanceof SmState state && state.stream == stream) {
            // Every earlier stanza of this stream was routed (the mailbox runs them in order); what
            // went to other nodes, and what features write in group commits, is waited for: then
            // the count is safe to acknowledge, a crash the next moment loses none of it.
            long handled = state.handled();
            state.afterHandover(directory.handedOver(), pendingWrites.durable(), () -> {
                if (state.resumable) {
                    directory.share(state.session(), SmLog.HANDLED, Long.toString(handled));
                }
                stream.send(Sm.ack(handled));
            });
        } else {
            stream.send(Sm.failed("unexpected-request", null, null));
        }
    }

    private void ack(ClientStream stream, Element e) {
        if (!(stream.observer() instanceof SmState state)) {
            return; // an answer to nothing we asked: ignore it
        }
        long h = Sm.h(e);
        if (h < 0) {
            stream.close(StreamError.of(StreamError.Condition.UNDEFINED_CONDITION, "<a/> needs an 'h' attribute"));
            return;
        }
        Element tooHigh = state.ack(h);
        if (tooHigh != null) {
            // XEP-0198 §4: undefined-condition with the application condition saying what went wrong.
            Element error = StreamError.of(StreamError.Condition.UNDEFINED_CONDITION, "acknowledged "
                    + tooHigh.attr("h") + " stanzas, " + tooHigh.attr("send-count") + " were sent").toElement();
            stream.send(error.withChild(tooHigh));
            stream.close(null);
        }
    }

    private void enable(ClientStream stream, Enable enable) {
        Session session = stream.session();
        if (session == null || stream.observer() != null) {
            // §3: only after binding, and only once per stream.
            stream.send(Sm.failed("unexpected-request", null, null));
            return;
        }
        Duration timeout = resumeTimeout;
        if (enable.maxSeconds() > 0) {
            Duration asked = Duration.ofSeconds(enable.maxSeconds());
            timeout = asked.compareTo(maxResumeTimeout) > 0 ? maxResumeTimeout : asked;
        }
        String id = SmLog.newId(random, session.jid().resource());
        SmState state = new SmState(id, stream, enable.resume(), timeout, this, requestEvery, limits);
        session.put(STATE, state);
        states.put(id, state);
        if (enable.resume()) {
            // Where another node finds it, should this node die or stop (see adopt).
            directory.share(session, SmLog.SHARE, SmLog.share(id, timeout.toMillis()));
        }
        stream.observe(state, Sm.enabled(id, enable.resume(), timeout.toSeconds()));
    }

    private void resume(ClientStream stream, Resume resume) {
        if (stream.session() != null || stream.observer() != null) {
            stream.send(Sm.failed("unexpected-request", null, null));
            return;
        }
        SmState old = resume.previd() == null ? null : states.get(resume.previd());
        if (old == null && resume.h() >= 0 && adopt(stream, resume)) {
            return;
        }
        if (old == null || !old.resumable || !old.username.equals(stream.username()) || resume.h() < 0) {
            stream.send(Sm.failed("item-not-found", null, null));
            return;
        }
        Element tooHigh = old.ack(resume.h());
        if (tooHigh != null) {
            stream.send(Sm.failed("undefined-condition", old.handled(), tooHigh));
            old.session().close(null); // the client lost track of it: end it, its queue goes the undeliverable way
            return;
        }
        boolean moved = stream.moveTo(old.stream, () -> {
            old.cancelExpiry();
            old.stream.send(Sm.resumed(old.id, old.handled()));
            // Paced by the client's reading, not counted as a slow reader: a queue larger than
            // c2s.maxPendingOutputBytes would otherwise end the resumed connection at once.
            old.stream.sendAgain(old.unacked().stream().map(this::delayed).toList());
        });
        if (!moved) {
            stream.send(Sm.failed("item-not-found", null, null));
        }
    }

    /** XEP-0198 §5 recommends XEP-0203 delay on stanzas sent again. */
    private Element delayed(SmState.Pending p) {
        Element e = p.stanza();
        if (!e.name().equals("message") || Delay.present(e)) {
            return e;
        }
        return e.withChild(new Delay(p.queued().truncatedTo(ChronoUnit.MILLIS), server).toElement());
    }

    /**
     * Resumption of a session another node held, which died or stopped: the directory hands it
     * over (exactly once, see {@link Directory#adopt}) with its log; what the log holds past the
     * client's 'h' is sent again, and the session continues here with the same id.
     */
    private boolean adopt(ClientStream stream, Resume resume) {
        Jid full = SmLog.fullJid(resume.previd(), stream.username(), server.domain());
        Session previous = full == null ? null
                : directory.adopt(full, s -> SmLog.isOf(s.shared(SmLog.SHARE), resume.previd()));
        if (previous == null) {
            return false;
        }
        long handled = SmLog.number(previous.shared(SmLog.HANDLED));
        long ackedBefore = SmLog.number(previous.shared(SmLog.ACKED));
        long acked = ackedBefore + Math.floorMod(resume.h() - ackedBefore, Sm.MOD);
        List<SmLog.Entry> logged = SmLog.parse(previous.sharedLog());
        List<SmState.Pending> resent = new ArrayList<>();
        Set<String> known = new HashSet<>();
        for (SmLog.Entry e : logged) {
            if (e.stanzaId() != null) {
                known.add(e.stanzaId());
            }
            if (e.seq() > acked) {
                resent.add(new SmState.Pending(acked + resent.size() + 1, e.stanza(), e.queued()));
            }
        }
        Instant inDoubt = SmLog.inDoubtSince(previous.shared(Session.IN_DOUBT_SINCE));
        Duration timeout = Duration.ofMillis(Math.max(1000, SmLog.window(previous.shared(SmLog.SHARE))));
        SmState state = new SmState(resume.previd(), stream, timeout, this, requestEvery, limits, handled, acked, resent);
        List<Element> first = new ArrayList<>(resent.size());
        for (SmState.Pending p : resent) {
            first.add(delayed(p));
        }
        stream.adopt(Adoption.of(previous, inDoubt, known), state, Sm.resumed(resume.previd(), handled), first, () -> {
            Session session = stream.session();
            session.put(STATE, state);
            states.put(state.id, state);
            directory.share(session, SmLog.SHARE, previous.shared(SmLog.SHARE));
            directory.share(session, SmLog.HANDLED, Long.toString(handled));
            directory.share(session, SmLog.ACKED, Long.toString(acked));
            state.logAll();
        });
        log.info("sm: {} resumed here from another node (h {}, {} logged, {} acked before), {} stanza(s) sent again{}", full,
                resume.h(), logged.size(), ackedBefore, resent.size(),
                inDoubt == null ? "" : ", archived messages since " + inDoubt + " in doubt");
        return true;
    }

    /**
     * Asks every connected client that owes acknowledgements for them (the timer half of §4), and
     * ends the sessions whose clients stopped acknowledging with too much queued.
     */
    private void requestAcks() {
        for (SmState s : states.values()) {
            try {
                if (s.stalled()) {
                    overflow(s);
                } else if (!s.session().isDetached() && s.hasUnacked()) {
                    s.requested(clock.instant());
                    s.stream.send(Sm.request());
                }
            } catch (RuntimeException e) {
                log.warn("sm: ack request failed for {}", s.session().jid(), e);
            }
        }
    }

    /**
     * A client that leaves an ack request unanswered for sm.ackTimeout is taken to have lost its
     * connection, as ejabberd's ack_timeout does: the connection is dropped without ending the
     * stream, so a resumable session waits detached (and its push notices go out) instead of
     * writing into a dead socket until TCP or the ping timer gives up minutes later.
     */
    private void dropSilentConnections() {
        for (SmState s : states.values()) {
            try {
                if (!s.session().isDetached() && s.ackOverdue(ackTimeout)) {
                    log.debug("sm: {} left an ack request unanswered for {}; dropping its connection", s.session().jid(),
                            ackTimeout);
                    s.stream.abort();
                }
            } catch (RuntimeException e) {
                log.warn("sm: ack check failed for {}", s.session().jid(), e);
            }
        }
    }

    @Override
    public void detached(SmState state) {
        state.expiry(scheduler.schedule(() -> {
            if (state.session().isDetached()) {
                // The window closed: the session ends as any other, timed out (nothing is written).
                state.session().close(StreamError.of(StreamError.Condition.CONNECTION_TIMEOUT));
            }
        }, state.timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void overflow(SmState state) {
        log.info("sm: {} left more than {} stanzas unacknowledged; ending its session", state.session().jid(),
                limits.soft());
        state.stream.close(StreamError.of(StreamError.Condition.POLICY_VIOLATION,
                "too many unacknowledged stanzas"));
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    /**
     * A clean stop of this cluster node hands the session over: once every client stanza it
     * handled is handed on and durable, the counts go where the resuming node finds them (the log
     * already holds what was sent); its queue stays unhandled here, the resuming node has it.
     */
    @Override
    public Instant handedOver(SmState state) {
        try {
            directory.handedOver().toCompletableFuture().get(5, TimeUnit.SECONDS);
            pendingWrites.durable().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return null; // its count cannot be vouched for: it ends here as usual
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        directory.share(state.session(), SmLog.HANDLED, Long.toString(state.handled()));
        directory.share(state.session(), SmLog.ACKED, Long.toString(state.acked()));
        states.remove(state.id, state);
        state.end();
        return clock.instant().plus(state.timeout);
    }

    @Override
    public java.util.concurrent.CompletionStage<?> logged(SmState state, SmState.Pending p) {
        if (!clustered) {
            return null; // a single node keeps nothing of it: no need to render the stanza
        }
        return directory.log(state.session(), p.seq(), SmLog.encode(p, state.session().jid().bare().toString()));
    }

    @Override
    public void unconfirmed(SmState state, Instant oldest) {
        Session session = state.session();
        if (clustered && session != null) {
            directory.deliveryCursor(session, oldest);
        }
    }

    @Override
    public void acknowledged(SmState state, long acked, long forget) {
        directory.share(state.session(), SmLog.ACKED, Long.toString(acked));
        if (forget >= 0) {
            directory.unlog(state.session(), forget);
        }
    }

    @Override
    public void closed(Session session) {
        finish(session);
    }

    @Override
    public void replacedElsewhere(Session session) {
        finish(session);
    }

    private void finish(Session session) {
        SmState state = session.get(STATE);
        if (state == null) {
            if (!session.isLocal()) {
                rerouteLogged(session);
            }
            return;
        }
        states.remove(state.id, state);
        List<SmState.Pending> left = state.end();
        reroute(state, left);
    }

    @Override
    public void undeliverable(SmState state, List<SmState.Pending> stanzas) {
        Thread.ofVirtual().name("parley-sm-undeliverable").start(() -> reroute(state, stanzas));
    }

    /**
     * XEP-0198 §5: stanzas the client never acknowledged are handled as if the resource had been
     * unavailable (RFC 6121 §8.5.3.2): messages go to other resources or offline storage, IQ
     * requests are answered with an error, presence is dropped.
     */
    private void reroute(SmState state, List<SmState.Pending> stanzas) {
        Jid full = state.session().jid();
        for (SmState.Pending p : stanzas) {
            try {
                router.deliverLocally(Stanza.of(p.stanza()).withTo(full), null);
            } catch (RuntimeException e) {
                log.error("sm: an unacknowledged stanza for {} could not be handled", full, e);
            }
        }
    }

    /**
     * A session of a dead node ended here: what its log holds that the client never acknowledged
     * is handled as undeliverable, like a local session's queue (offline storage keeps a message
     * that the archive's in-doubt replay hands over too once).
     */
    private void rerouteLogged(Session session) {
        if (session.shared(SmLog.SHARE) == null) {
            return;
        }
        long acked = SmLog.number(session.shared(SmLog.ACKED));
        for (SmLog.Entry e : SmLog.parse(session.sharedLog())) {
            if (e.seq() > acked) {
                try {
                    router.deliverLocally(Stanza.of(e.stanza()).withTo(session.jid()), null);
                } catch (RuntimeException ex) {
                    log.error("sm: an unacknowledged stanza for {} could not be handled", session.jid(), ex);
                }
            }
        }
    }

    /** At shutdown, sessions waiting for a resumption end here: their queues must not vanish. */
    @Override
    public void stop() {
        if (requests != null) {
            requests.cancel(false);
        }
        if (ackChecks != null) {
            ackChecks.cancel(false);
        }
        for (SmState s : states.values()) {
            if (s.session().isDetached()) {
                directory.unbind(s.session());
                finish(s.session());
            }
        }
    }
}
