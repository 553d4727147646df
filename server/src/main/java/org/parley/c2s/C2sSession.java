package org.parley.c2s;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.parley.session.Adoption;
import org.parley.session.ClientStream;
import org.parley.session.SerialExecutor;
import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.session.SessionListener;
import org.parley.session.SessionState;
import org.parley.session.StreamObserver;
import org.parley.xml.Element;
import org.parley.xml.StreamHeader;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StreamError;
import org.parley.xmpp.StreamError.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client-to-server stream (RFC 6120) and, once bound, the {@link Session} the router delivers
 * to, over any transport: it reads {@link StreamInput items} and writes through its
 * {@link Connection}, via the {@link Attachment} that a resumption may move to another one. Input
 * is processed in order on the session's {@link SerialExecutor}, never on the I/O thread.
 */
public final class C2sSession implements Session, ClientStream, StreamInput {
    private static final Logger log = LoggerFactory.getLogger(C2sSession.class);
    private static final VarHandle STANZAS_OUT;

    static {
        try {
            STANZAS_OUT = MethodHandles.lookup().findVarHandle(C2sSession.class, "stanzasOut", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final SessionServices services;
    private final Attachment attachment;
    private final SerialExecutor mailbox;
    private final SessionState state = new SessionState();
    private final BindNegotiation bind;
    private final StreamNegotiation negotiation;
    private final ClientStanzas stanzas;
    private final long started = System.nanoTime();
    /** The client's address as limits judge it ({@link ClientAddresses#key}). */
    private final String addressKey;
    /** Closes the stream unless it is bound by then (c2s.authTimeout); null once cancelled (mailbox only). */
    private ScheduledFuture<?> deadline;
    /** Whether this connection counts among its address's unauthenticated ones; the mailbox's. */
    private boolean counted;
    /** The login's place in the queue for a turn at the database while it waits (see {@link LoginAdmission}). */
    private volatile LoginAdmission.Ticket waitingTurn;
    /** Set when {@link #end} begins (the mailbox's): it runs once, even when a listener leads back to it. */
    private boolean ending;

    /** The session this connection was moved under: input goes there from then on. */
    private volatile C2sSession successor;
    private volatile StreamState streamState = StreamState.AWAITING_HEADER;
    private volatile String username;
    private volatile Jid jid;
    private volatile Stanza presence;
    /** Set once the connection refused a stanza without an observer to keep it: see {@link #isLeaving}. */
    private volatile boolean leaving;
    private volatile String closeReason;
    private boolean everAvailable;
    private long stanzasIn; // the mailbox's
    @SuppressWarnings("unused") // through STANZAS_OUT: delivered from any thread
    private volatile long stanzasOut;

    public C2sSession(SessionServices services, Connection connection) {
        this.services = services;
        this.attachment = new Attachment(this, connection);
        this.mailbox = new SerialExecutor(services.executor(), connection.id());
        this.bind = new BindNegotiation(this);
        this.negotiation = new StreamNegotiation(this, bind);
        this.stanzas = new ClientStanzas(this, bind);
        services.streams().add(this);
        this.addressKey = ClientAddresses.key(connection.remoteAddress());
        boolean admitted = services.addresses().admit(addressKey);
        this.deadline = services.scheduler().schedule(() -> mailbox.execute(this::authDeadline),
                services.config().c2s().authTimeout().toMillis(), TimeUnit.MILLISECONDS);
        mailbox.execute(() -> {
            ConnectionLog.connected(connection);
            counted = admitted;
            if (!admitted) {
                close(StreamError.of(Condition.POLICY_VIOLATION, "too many unauthenticated connections from your address"));
            }
        });
    }

    /** c2s.authTimeout passed: a stream not bound by now ends (slow or idle clients that never log in). */
    private void authDeadline() {
        if (successor == null && jid == null && streamState != StreamState.CLOSED) {
            close(StreamError.of(Condition.CONNECTION_TIMEOUT, "not authenticated in time"));
        }
    }

    /** Bound or over: the auth deadline is off, and nothing of it stays held per session. On the mailbox. */
    private void cancelDeadline() {
        ScheduledFuture<?> d = deadline;
        if (d != null) {
            deadline = null;
            d.cancel(false);
        }
    }

    /** No longer an unauthenticated connection of its address; on the mailbox. */
    private void uncount() {
        if (counted) {
            counted = false;
            services.addresses().release(addressKey);
        }
    }

    /** When c2s.authTimeout ends this stream unless it is bound (nanoTime). */
    long authDeadlineNanos() {
        return started + services.config().c2s().authTimeout().toNanos();
    }

    void waitingTurn(LoginAdmission.Ticket ticket) {
        waitingTurn = ticket;
    }

    /**
     * The client went away (or ended its stream) while its login waits for a turn at the
     * database: it leaves the queue now, not when its turn would have come, and no read is made.
     * On the transport's thread, since the session's own waits.
     */
    private void leaveQueue() {
        LoginAdmission.Ticket t = waitingTurn;
        if (t != null) {
            services.admission().cancel(t);
        }
    }

    /** The client's address as limits judge it. */
    String addressKey() {
        return addressKey;
    }

    @Override
    public String address() {
        return addressKey;
    }

    // ---- input, from the transport

    // Each item is queued on this session's mailbox. A connection moved under another session
    // (a resumption) passes its items on to that session's mailbox, behind its pending work.

    @Override
    public void header(Connection from, StreamHeader header) {
        mailbox.execute(() -> {
            C2sSession next = successor;
            if (next != null) {
                next.header(from, header);
            } else if (reads(from)) {
                run(() -> negotiation.header(header));
            }
        });
    }

    @Override
    public void element(Connection from, Element element) {
        element(from, element, 0);
    }

    // Counted in the server's inbound budget from here until its task has run (or was dropped
    // with the executor at a stop, which ends the budget's use too).
    @Override
    public void element(Connection from, Element element, int wireBytes) {
        InboundBudget budget = services.inbound();
        long cost = InboundBudget.cost(wireBytes);
        budget.queued(cost);
        mailbox.execute(() -> {
            try {
                C2sSession next = successor;
                if (next != null) {
                    next.element(from, element, wireBytes);
                } else if (reads(from)) {
                    run(() -> onElement(element));
                }
            } finally {
                budget.processed(cost);
            }
        });
    }

    @Override
    public void end(Connection from) {
        leaveQueue();
        mailbox.execute(() -> {
            C2sSession next = successor;
            if (next != null) {
                next.end(from);
            } else if (reads(from)) {
                closeCleanly("client closed the stream");
            }
        });
    }

    @Override
    public void failed(Connection from, StreamError error) {
        leaveQueue();
        mailbox.execute(() -> {
            C2sSession next = successor;
            if (next != null) {
                next.failed(from, error);
            } else if (from == connection()) {
                close(error);
            } else {
                from.abort(); // a connection this session has left
            }
        });
    }

    @Override
    public void secured(Connection from, String protocol, String cipher) {
        mailbox.execute(() -> ConnectionLog.tlsEstablished(protocol, cipher));
    }

    @Override
    public void silent(Connection from) {
        mailbox.execute(() -> {
            C2sSession next = successor;
            if (next != null) {
                next.silent(from);
            } else if (from == connection()) {
                stanzas.silent();
            } else {
                from.abort();
            }
        });
    }

    @Override
    public void disconnected(Connection from) {
        leaveQueue();
        mailbox.execute(() -> {
            C2sSession next = successor;
            if (next != null) {
                next.disconnected(from);
            } else {
                lost(from);
            }
        });
    }

    @Override
    public int backlog() {
        C2sSession next = successor;
        return mailbox.backlog() + (next == null ? 0 : next.mailbox.backlog());
    }

    @Override
    public void whenCaughtUp(Runnable task) {
        mailbox.execute(() -> {
            C2sSession next = successor;
            if (next == null) {
                task.run();
            } else {
                next.mailbox.execute(task);
            }
        });
    }

    /** Whether input from {@code connection} is for this session's open stream. */
    private boolean reads(Connection connection) {
        return streamState != StreamState.CLOSED && connection == connection();
    }

    private void run(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.error("session failed", e);
            close(StreamError.of(Condition.INTERNAL_SERVER_ERROR));
        }
    }

    private void onElement(Element e) {
        switch (streamState) {
            case UNAUTHENTICATED, AUTHENTICATING -> {
                var handler = Stanza.isStanza(e) ? null : services.handlers().unauthenticatedNonza(e.namespace());
                if (handler != null) {
                    handler.handle(this, e);
                } else {
                    negotiation.element(e);
                }
            }
            case AUTHENTICATED -> {
                if (!nonza(e)) {
                    negotiation.element(e);
                }
            }
            case BOUND -> {
                if (Stanza.isStanza(e)) {
                    stanzasIn++;
                    stanzas.received(e);
                    StreamObserver o = attachment.observer();
                    if (o != null) {
                        o.received();
                    }
                } else if (!nonza(e)) {
                    close(StreamError.of(Condition.UNSUPPORTED_STANZA_TYPE));
                }
            }
            default -> close(StreamError.of(Condition.BAD_FORMAT));
        }
    }

    /** A non-stanza element some feature owns; false when none does. */
    private boolean nonza(Element e) {
        if (Stanza.isStanza(e)) {
            return false;
        }
        var handler = services.handlers().nonza(e.namespace());
        if (handler == null) {
            return false;
        }
        handler.handle(this, e);
        return true;
    }

    boolean tlsRequired() {
        return !isSecure() && !services.config().c2s().allowPlaintext();
    }

    boolean tlsOffered() {
        return connection().canStartTls();
    }

    /** The client's header opened a stream; features come next. */
    void opened() {
        streamState = username == null ? StreamState.UNAUTHENTICATED : StreamState.AUTHENTICATED;
    }

    /** SASL success (RFC 6120 §6.4.6): a new stream follows on the same connection. */
    void authenticated(String user, Element success) {
        this.username = user;
        uncount();
        streamState = StreamState.AWAITING_HEADER;
        connection().restartStream(success);
    }

    void setStreamState(StreamState s) {
        this.streamState = s;
    }

    StreamState streamState() {
        return streamState;
    }

    @Override
    public String username() {
        return username;
    }

    void bound(Jid full) {
        this.jid = full;
        streamState = StreamState.BOUND;
        cancelDeadline();
    }

    // ---- ending

    /** Ends the stream: the transport writes the error and the stream's end, then closes. */
    @Override
    public void close(StreamError error) {
        C2sSession next = successor;
        if (next != null) {
            next.close(error);
            return;
        }
        noteReason(reason(error));
        if (attachment.isDetached()) {
            attachment.endDetached(closeReason);
            return;
        }
        if (streamState == StreamState.CLOSED) {
            return;
        }
        streamState = StreamState.CLOSED;
        connection().close(error);
    }

    /** Ends the stream without an error, for {@code reason}. */
    void closeCleanly(String reason) {
        noteReason(reason);
        close(null);
    }

    @Override
    public void abort() {
        C2sSession next = successor;
        if (next != null) {
            next.abort();
            return;
        }
        noteReason("connection dropped by the server");
        connection().abort();
    }

    /** The first cause of the end is the one the log gives. */
    private void noteReason(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
    }

    private static String reason(StreamError error) {
        if (error == null) {
            return "closed by the server";
        }
        return switch (error.condition()) {
            case CONNECTION_TIMEOUT -> "timeout";
            case CONFLICT -> "replaced";
            default -> "stream error " + error.condition().elementName()
                    + (error.text() == null ? "" : " (" + error.text() + ")");
        };
    }

    /**
     * A connection is gone: unless it is one this session has left, unbind and tell the listeners,
     * in order after pending work; or stay bound, detached, when the observer asks for it.
     */
    private void lost(Connection gone) {
        if (gone != connection() || attachment.isDetached()) {
            return;
        }
        if (streamState == StreamState.BOUND && attachment.detach()) {
            closeReason = null; // the stream was not closed: the client may come back for it
            return;
        }
        noteReason("connection lost");
        end(closeReason);
    }

    /**
     * A stanza the connection did not take while no stream observer keeps it: routed again at once,
     * in the sender's order, as though this session were gone (RFC 6121 §8.5.3.2: a message goes to
     * another resource or offline storage), and the session ends after pending work.
     */
    void refused(Element stanza) {
        leaving = true; // first: what is rerouted below must not come back here
        if (jid != null) {
            Stanza s;
            try {
                s = Stanza.of(stanza);
            } catch (RuntimeException e) {
                s = null;
            }
            if (s != null) {
                services.router().undeliverable(s.withTo(jid), this);
            }
        }
        mailbox.execute(() -> {
            Connection gone = connection();
            if (gone.isOpen()) {
                gone.abort(); // over its output bound: make sure the connection is dropped
            }
            lost(gone);
        });
    }

    /** The session is over: unbind and tell the listeners. Runs on the mailbox, once. */
    void end(String reason) {
        uncount();
        cancelDeadline();
        if (ending || !services.streams().contains(this)) {
            return; // ended already, or moved under another session
        }
        ending = true;
        streamState = StreamState.CLOSED;
        try {
            if (jid != null && services.directory().unbind(this)) {
                for (SessionListener l : services.handlers().listeners()) {
                    try {
                        l.closed(this);
                    } catch (RuntimeException e) {
                        log.error("session listener failed", e);
                    }
                }
            }
        } finally {
            // Only now: a stopping server waits until its streams are gone before it closes the
            // stores, and the listeners above still use them (the unavailable presence to the
            // contacts, offline storage for what the session had not delivered).
            services.streams().remove(this);
        }
        ConnectionLog.closed(reason, System.nanoTime() - started, stanzasIn, (long) STANZAS_OUT.getVolatile(this));
    }

    // ---- resumption: the mechanism is the Attachment's, the policy the observer's feature's

    @Override
    public boolean moveTo(ClientStream target, Runnable first) {
        return target instanceof C2sSession t && Attachment.move(this, t, first);
    }

    @Override
    public Session adopt(Adoption from, StreamObserver observer, Element announce, java.util.List<Element> first,
                         Runnable whenBound) {
        Session previous = from.previous();
        // The client learns it resumed only once the session is routable here: announced earlier
        // (as it was), a client (or a test) acting on <resumed/> found the session missing from
        // this node's directory, and what was routed to it meanwhile went to offline storage.
        CompletableFuture<Void> routable = new CompletableFuture<>();
        attachment.holdUntil(routable);
        try {
            bound(previous.jid());
            observe(observer, announce);
            for (Element e : first) {
                attachment.send(e);
            }
            synchronized (this) {
                presence = previous.presence();
                everAvailable |= presence != null;
            }
            Session replaced = services.directory().bind(this);
            if (replaced != null) {
                for (SessionListener l : services.handlers().listeners()) {
                    l.closed(replaced);
                }
                replaced.close(StreamError.of(Condition.CONFLICT, "replaced by a new connection"));
            }
            ConnectionLog.adopted(previous.jid(), from.inDoubtSince() == null ? "released by its node" : "its node died");
            whenBound.run();
        } finally {
            routable.complete(null);
        }
        for (SessionListener l : services.handlers().listeners()) {
            l.bound(this);
        }
        for (SessionListener l : services.handlers().listeners()) {
            try {
                l.adopted(this, from);
            } catch (RuntimeException e) {
                log.error("session listener failed", e);
            }
        }
        return this;
    }

    /**
     * Ends the stream at a clean stop of a cluster node, on the mailbox after the input it took:
     * first the observer may hand the session over ({@link StreamObserver#handOver}), and then
     * {@code handOver} takes it off this node without ending it and the connection is dropped, for
     * its client to resume it on another; otherwise the stream ends with {@code error}. Completes
     * once that is done.
     */
    public java.util.concurrent.CompletableFuture<Void> stop(StreamError error,
                                                             java.util.function.BiConsumer<Session, Instant> handOver) {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        mailbox.execute(() -> {
            try {
                StreamObserver o = attachment.observer();
                Instant until = successor == null && jid != null && o != null ? o.handOver() : null;
                if (until != null) {
                    handOver.accept(this, until);
                    // Dropped without a stream error: to a XEP-0198 client a stream error ends the
                    // session (Smack then binds afresh), a lost connection is one to resume.
                    noteReason("handed over for resumption on another node");
                    streamState = StreamState.CLOSED;
                    if (attachment.isDetached()) {
                        // Its connection was lost before: no loss of it will come to end it here,
                        // and the stop waited for it until c2s.stopTimeout (30 s in a rolling
                        // restart's soak). It leaves now; handed over, it is not ended (unbound
                        // already, nothing for the listeners).
                        end(closeReason + " while detached");
                        return;
                    }
                    connection().abort();
                    return;
                }
                close(error);
            } catch (RuntimeException e) {
                log.error("stopping the session failed", e);
                close(error);
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    /** This connection carries {@code target} from now on: input goes there, this stream is over. */
    void movedUnder(C2sSession target) {
        successor = target;
        streamState = StreamState.CLOSED;
        uncount();
        cancelDeadline();
        services.streams().remove(this); // the connection is the target's now: it ends with it
    }

    /** Whether a new connection may take this session over; on its mailbox. */
    boolean resumable(boolean detached) {
        return jid != null && (streamState != StreamState.CLOSED || detached);
    }

    /** Taken over by a new connection: bound again, and whatever ended the old one is forgotten. */
    void resumed() {
        streamState = StreamState.BOUND;
        closeReason = null;
    }

    Attachment attachment() {
        return attachment;
    }

    SerialExecutor mailbox() {
        return mailbox;
    }

    Connection connection() {
        return attachment.connection();
    }

    // ---- the session as features and the router see it

    @Override
    public boolean isDetached() {
        return attachment.isDetached();
    }

    @Override
    public Instant detachedUntil() {
        return attachment.detachedUntil();
    }

    @Override
    public Session session() {
        return jid == null ? null : this;
    }

    @Override
    public void send(Element element) {
        attachment.send(element);
    }

    /** Negotiation output: the same path as every other write. */
    void reply(Element element) {
        attachment.send(element);
    }

    @Override
    public void observe(StreamObserver o, Element announce) {
        attachment.observe(o, announce);
    }

    @Override
    public StreamObserver observer() {
        return attachment.observer();
    }

    @Override
    public Jid jid() {
        return jid;
    }

    @Override
    public boolean isLeaving() {
        return leaving;
    }

    @Override
    public void deliver(Stanza stanza) {
        STANZAS_OUT.getAndAdd(this, 1L);
        attachment.deliver(stanza.element());
    }

    @Override
    public void awaitRoom() {
        attachment.awaitRoom();
    }

    @Override
    public void sendAgain(java.util.List<Element> stanzas) {
        attachment.sendAgain(stanzas);
    }

    @Override
    public Stanza presence() {
        return presence;
    }

    @Override
    public void updatePresence(Stanza p) {
        Stanza next = p == null || "unavailable".equals(p.type()) ? null : p;
        boolean was = presence != null;
        boolean initial;
        synchronized (this) {
            presence = next;
            initial = next != null && !everAvailable;
            everAvailable |= next != null;
        }
        services.directory().presenceChanged(this);
        if (was != (next != null) || initial) {
            for (SessionListener l : services.handlers().listeners()) {
                l.availabilityChanged(this, next != null, initial);
            }
        }
        for (SessionListener l : services.handlers().listeners()) {
            l.presenceChanged(this, next);
        }
    }

    @Override
    public boolean isSecure() {
        return connection().isSecure();
    }

    @Override
    public <T> T get(SessionKey<T> key) {
        return state.get(key);
    }

    @Override
    public <T> void put(SessionKey<T> key, T value) {
        state.put(key, value);
    }

    @Override
    public String toString() {
        return "C2sSession[" + (jid != null ? jid : connection().remoteAddress()) + "]";
    }
}
