package org.parley.net;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.parley.c2s.Connection;
import org.parley.c2s.StreamInput;
import org.parley.session.SessionIds;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StreamError;

/**
 * One BOSH session (XEP-0124 1.11, XEP-0206 1.4) as its client session sees it: a
 * {@link Connection} whose output waits in a bounded buffer until the client has a request
 * outstanding, and the session's HTTP side — requests handed to the stream in {@code rid} order
 * (§14: a request ahead of a gap waits for it, one beyond the window of {@code requests} ends the
 * session with {@code item-not-found}), at most {@code hold} requests held (the oldest is answered
 * when one more arrives), each held one answered when output is there or after {@code wait},
 * the last {@code requests} answers kept for a client that resends a request whose answer it lost
 * (§14.3, dropped once acknowledged, §9), and the session over after {@code inactivity} with no
 * request outstanding.
 *
 * <p>All state is guarded by one lock; nothing under it blocks (the stream input only queues).
 */
final class BoshConnection implements Connection {
    /** What a session's parameters came to: the client's asks within the server's limits. */
    record Terms(long waitSeconds, int hold, int requests, long inactivitySeconds, long pollingSeconds,
                 long maxPauseSeconds, boolean acks, long maxPending, int maxStanzaChars,
                 InboundRates.Limits shaping) {
    }

    /** A request waiting for its answer. */
    static final class Held {
        final long rid;
        final boolean creation;
        final CompletableFuture<String> answer = new CompletableFuture<>();
        /** Its answer carried payloads (under the connection's lock). */
        boolean carried;

        Held(long rid, boolean creation) {
            this.rid = rid;
            this.creation = creation;
        }
    }

    private record Early(Element body, Held held) {
    }

    private final String id = SessionIds.next();
    private final String sid;
    private final Terms terms;
    private final String server;
    private final InetSocketAddress remote;
    private final boolean secure;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final Runnable onEnd;
    private final Object lock = new Object();
    private final Held creation;
    private final InboundRates rates;
    private StreamInput input;

    private long nextRid;
    private final TreeMap<Long, Early> early = new TreeMap<>();
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final StringBuilder output = new StringBuilder();
    private boolean flushScheduled;
    private final Map<Long, String> answered = new LinkedHashMap<>();
    private String streamId;
    /** The session's last answer once the stream has ended (a clean end or a stream error); null before. */
    private String terminal;
    private boolean gone;
    private ScheduledFuture<?> inactive;
    /** The inactivity a pause asked for (§10), until the next request; -1 for the session's own. */
    private long pausedFor = -1;
    private final BoshActivity activity;

    /**
     * @param creationRid the rid of the session creation request, held by this connection from the start
     * @param onEnd       removes the session from its endpoint's table
     */
    BoshConnection(String sid, Terms terms, Jid server, InetSocketAddress remote, boolean secure, long creationRid,
                   Executor executor, ScheduledExecutorService scheduler, Runnable onEnd) {
        this.sid = sid;
        this.terms = terms;
        this.server = server.toString();
        this.remote = remote;
        this.secure = secure;
        this.executor = executor;
        this.scheduler = scheduler;
        this.onEnd = onEnd;
        this.nextRid = creationRid + 1;
        this.creation = new Held(creationRid, true);
        this.rates = new InboundRates(terms.shaping());
        this.activity = new BoshActivity(terms.pollingSeconds(), terms.hold());
        held.add(creation);
    }

    /**
     * Connects the session this connection carries; before any input. The session may already have
     * ended it (a session refused at once, for the address cap, runs on its own thread before this):
     * then it hears of the loss now.
     */
    void attach(StreamInput session) {
        synchronized (lock) {
            this.input = session;
            if (!gone) {
                return;
            }
        }
        session.disconnected(this);
    }

    StreamInput input() {
        return input;
    }

    Terms terms() {
        return terms;
    }

    /** The creation request's answer: the session's attributes and the stream features (XEP-0206 §3). */
    Held creation() {
        return creation;
    }

    // ---- the HTTP side

    /**
     * A request of this session, whose answer comes at once (a resend, an error) or once it is due.
     * Requests are processed in rid order, whatever order they arrived in.
     */
    Held request(Element body, long rid) {
        synchronized (lock) {
            if (gone) {
                return answered(rid, BoshBody.terminate("item-not-found"));
            }
            if (rid < nextRid) {
                String again = answered.get(rid);
                if (again != null) {
                    return answered(rid, again); // §14.3: the answer the client lost
                }
                for (Held h : held) {
                    if (h.rid == rid) {
                        return h; // sent again while still held: both get the one answer
                    }
                }
                return answered(rid, fail("item-not-found"));
            }
            if (rid >= nextRid + terms.requests()) {
                return answered(rid, fail("item-not-found")); // beyond the window (§14.2)
            }
            Early waiting = early.get(rid);
            if (waiting != null) {
                return waiting.held();
            }
            boolean terminate = "terminate".equals(body.attr("type"));
            long pause = terms.maxPauseSeconds() > 0 ? BoshBody.number(body, "pause", -2) : -2; // -2: none
            if (pause == -1 || pause > terms.maxPauseSeconds()) {
                return answered(rid, fail("policy-violation")); // §10: a pause longer than maxpause
            }
            // §11: more requests than allowed at once, but one more may pause or end the session.
            if (!terminate && pause < 0 && held.size() + early.size() + 1 > terms.requests()) {
                return answered(rid, fail("policy-violation"));
            }
            boolean empty = !terminate && pause < 0 && body.elements().isEmpty()
                    && BoshBody.xbosh(body, "restart") == null;
            long now = System.nanoTime();
            if (activity.tooFrequent(empty, now)) {
                return answered(rid, fail("policy-violation")); // §11, §12: empty requests too often
            }
            acknowledged(BoshBody.number(body, "ack", -1));
            Held h = new Held(rid, false);
            activity.arrived(h, empty, now);
            if (rid > nextRid) {
                early.put(rid, new Early(body, h));
                return h;
            }
            process(body, h);
            for (Early next; (next = early.remove(nextRid)) != null; ) {
                process(next.body(), next.held());
            }
            return h;
        }
    }

    private static Held answered(long rid, String body) {
        Held h = new Held(rid, false);
        h.answer.complete(body);
        return h;
    }

    /**
     * Counts a request's bytes and payloads against the client's inbound rates (c2s.maxInbound*, as
     * on TCP); returns the nanoseconds it must be held back before it is taken in.
     */
    long shape(int bytes, int payloads) {
        synchronized (lock) {
            rates.spend(bytes, payloads, rates.pauseLeft() > 0);
            return Math.max(0, rates.pauseLeft());
        }
    }

    /** Whether the client has been past its rates without a break for longer than c2s.shapingGrace. */
    boolean abusive() {
        synchronized (lock) {
            return rates.abusive();
        }
    }

    /** A request whose turn came: its payloads go to the stream, then it is held. Under the lock. */
    private void process(Element body, Held h) {
        nextRid = h.rid + 1;
        cancelInactivity();
        pausedFor = -1; // §10: back to the session's own inactivity with the next request
        if (terminal == null) {
            if ("true".equals(BoshBody.xbosh(body, "restart"))) {
                input.header(this, BoshEndpoint.header(body, true)); // XEP-0206 §5: a stream restart
            }
            for (Element payload : BoshBody.payloads(body)) {
                int chars = payload.toXml().length();
                if (chars > terms.maxStanzaChars()) {
                    input.failed(this, StreamError.of(StreamError.Condition.POLICY_VIOLATION,
                            "a stanza is larger than limits.maxStanzaBytes"));
                    break;
                }
                input.element(this, payload, chars);
            }
            if ("terminate".equals(body.attr("type"))) {
                input.end(this);
            }
        }
        long pause = terms.maxPauseSeconds() > 0 ? BoshBody.number(body, "pause", -1) : -1;
        if (pause >= 0 && terminal == null) {
            // §10: every request held is answered now (with what waits), the pause request without
            // payloads, and the session may then be idle for the pause.
            pausedFor = pause;
            while (!held.isEmpty()) {
                answer(held.getFirst());
            }
            h.answer.complete(BoshBody.close(BoshBody.open(List.of())));
            idleCheck();
            return;
        }
        held.add(h);
        while (held.size() > terms.hold() || !held.isEmpty() && (!output.isEmpty() || terminal != null)) {
            answer(held.getFirst());
        }
    }

    /** §9.2: the client has every answer up to {@code ack}; they need not be kept. Under the lock. */
    private void acknowledged(long ack) {
        if (ack < 0) {
            return;
        }
        answered.keySet().removeIf(rid -> rid <= ack);
    }

    /**
     * The client has waited {@code wait}: an empty answer (§7), unless it was answered meanwhile. A
     * request still waiting for an earlier rid that never came ends the session: that one is lost.
     */
    void expire(Held h) {
        synchronized (lock) {
            if (held.contains(h)) {
                answer(h);
            } else if (!h.answer.isDone()) {
                fail("item-not-found");
            }
        }
    }

    /**
     * The client's HTTP connection of a held request closed: it is answered at once with nothing, so
     * the buffered output waits for a request that can carry it, and a resend of the rid gets that
     * empty answer (§14.3).
     */
    void abandoned(Held h) {
        synchronized (lock) {
            if (held.contains(h) && terminal == null) {
                StringBuilder empty = BoshBody.open(List.of());
                held.remove(h);
                remember(h.rid, BoshBody.close(empty));
                h.answer.complete(answered.get(h.rid));
                idleCheck();
            }
        }
    }

    /** Answers {@code h} with whatever output waits (or the terminal answer). Under the lock. */
    private void answer(Held h) {
        held.remove(h);
        String body;
        boolean last = terminal != null;
        if (last) {
            body = terminal;
        } else {
            List<String> attrs = new ArrayList<>(24);
            if (h.creation) {
                attrs.addAll(List.of("sid", sid, "wait", Long.toString(terms.waitSeconds()),
                        "inactivity", Long.toString(terms.inactivitySeconds()),
                        "requests", Integer.toString(terms.requests()), "hold", Integer.toString(terms.hold()),
                        "ver", "1.11", "from", server, "secure", Boolean.toString(secure),
                        "xmlns:xmpp", BoshBody.XBOSH, "xmpp:version", "1.0", "xmpp:restartlogic", "true"));
                if (streamId != null) {
                    attrs.addAll(List.of("authid", streamId));
                }
                if (terms.pollingSeconds() > 0) {
                    attrs.addAll(List.of("polling", Long.toString(terms.pollingSeconds())));
                }
                if (terms.maxPauseSeconds() > 0) {
                    attrs.addAll(List.of("maxpause", Long.toString(terms.maxPauseSeconds())));
                }
                if (terms.acks()) {
                    attrs.addAll(List.of("ack", Long.toString(h.rid)));
                }
            } else if (terms.acks() && h.rid < nextRid - 1) {
                attrs.addAll(List.of("ack", Long.toString(nextRid - 1))); // §9.3: later requests are in
            }
            if (!output.isEmpty()) {
                attrs.addAll(List.of("xmlns:stream", Namespaces.STREAMS));
                h.carried = true;
            }
            body = BoshBody.close(BoshBody.open(attrs).append(output));
            output.setLength(0);
        }
        remember(h.rid, body);
        h.answer.complete(body);
        if (last) {
            end(); // the stream's end reached the client
        } else {
            idleCheck();
        }
    }

    private void remember(long rid, String body) {
        answered.put(rid, body);
        for (Iterator<Long> i = answered.keySet().iterator(); answered.size() > terms.requests(); ) {
            i.next();
            i.remove();
        }
    }

    /** No request outstanding: the inactivity period starts. Under the lock. */
    private void idleCheck() {
        if (!gone && held.isEmpty() && early.isEmpty() && inactive == null) {
            long seconds = pausedFor >= 0 ? pausedFor : terms.inactivitySeconds();
            inactive = scheduler.schedule(this::inactivityOver, seconds, TimeUnit.SECONDS);
        }
    }

    private void cancelInactivity() {
        if (inactive != null) {
            inactive.cancel(false);
            inactive = null;
        }
    }

    private void inactivityOver() {
        synchronized (lock) {
            inactive = null;
            if (!gone && held.isEmpty() && early.isEmpty()) {
                end(); // as a lost TCP connection: stream management may keep the session for resumption
            }
        }
    }

    /** A terminal binding error (§17.2): the session is over. Under the lock; returns the answer. */
    private String fail(String condition) {
        String body = BoshBody.terminate(condition);
        for (Held h : held) {
            h.answer.complete(body);
        }
        held.clear();
        for (Early e : early.values()) {
            e.held().answer.complete(body);
        }
        early.clear();
        end();
        return body;
    }

    /** The session is gone from the endpoint; the client session hears its connection is lost. Under the lock. */
    private void end() {
        if (gone) {
            return;
        }
        gone = true;
        cancelInactivity();
        // A stream error not yet carried to the client goes with whatever request is still held.
        String over = terminal != null ? terminal : BoshBody.terminate("undefined-condition");
        held.forEach(h -> h.answer.complete(over));
        held.clear();
        early.values().forEach(e -> e.held().answer.complete(over));
        early.clear();
        onEnd.run();
        if (input != null) { // else attach() tells it
            input.disconnected(this);
        }
    }

    // ---- the Connection, as the client session writes to it

    @Override
    public String id() {
        return id;
    }

    @Override
    public String transport() {
        return "bosh";
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public boolean isOpen() {
        synchronized (lock) {
            return !gone && terminal == null;
        }
    }

    @Override
    public void open(String streamId, Jid from) {
        synchronized (lock) {
            this.streamId = streamId;
        }
    }

    @Override
    public boolean write(Element stanza) {
        synchronized (lock) {
            if (gone || terminal != null) {
                return false;
            }
            BoshBody.render(stanza, output);
            if (output.length() > terms.maxPending()) {
                // c2s.maxPendingOutputBytes: a client this far behind counts as gone.
                output.setLength(0);
                end();
                return false;
            }
            flushSoon();
            return true;
        }
    }

    @Override
    public void send(Element element) {
        synchronized (lock) {
            if (!gone && terminal == null) {
                BoshBody.render(element, output);
                flushSoon();
            }
        }
    }

    /** Answers a held request with the output, once the burst being written is in. Under the lock. */
    private void flushSoon() {
        if (!flushScheduled && !held.isEmpty()) {
            flushScheduled = true;
            executor.execute(() -> {
                synchronized (lock) {
                    flushScheduled = false;
                    if (!held.isEmpty() && (!output.isEmpty() || terminal != null)) {
                        answer(held.getFirst());
                    }
                }
            });
        }
    }

    @Override
    public void close(StreamError error) {
        synchronized (lock) {
            if (gone || terminal != null) {
                return;
            }
            if (error == null) {
                StringBuilder sb = BoshBody.open(List.of("type", "terminate", "xmlns:stream", Namespaces.STREAMS));
                terminal = BoshBody.close(sb.append(output));
            } else {
                terminal = BoshBody.streamError(error, output);
            }
            output.setLength(0);
            if (!held.isEmpty()) {
                answer(held.getFirst());
            } else {
                idleCheck(); // the next request gets the terminal answer, or the session just expires
            }
        }
    }

    @Override
    public void abort() {
        synchronized (lock) {
            end();
        }
    }

    @Override
    public boolean canStartTls() {
        return false;
    }

    @Override
    public void startTls(Element proceed) {
        throw new UnsupportedOperationException("no STARTTLS over BOSH: TLS is HTTP's (XEP-0206 §2)");
    }

    @Override
    public void restartStream(Element last) {
        send(last); // each request is parsed on its own: there is no parser to reset
    }

    /** How long a held request may wait. */
    Duration waitFor() {
        return Duration.ofSeconds(terms.waitSeconds());
    }

    @Override
    public String toString() {
        return "BoshConnection[" + id + ", " + remote + "]";
    }
}
