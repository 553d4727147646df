package org.parley.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.parley.xml.Element;
import org.parley.xml.StreamHeader;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.StreamError;
import org.parley.xmpp.StreamError.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client-to-server stream (RFC 6120) and, once bound, the {@link Session} the router delivers
 * to. Input arrives from {@link C2sHandler} on the event loop and is processed in order on the
 * session's {@link SerialExecutor}; output is written to the channel from any thread.
 */
public final class C2sSession implements Session, ClientStream {
    private static final Logger log = LoggerFactory.getLogger(C2sSession.class);

    final SessionServices services;
    /** Output and connection; a session resumed on a new connection ({@link #moveTo}) switches there. */
    private final StreamOutput out;
    private final SerialExecutor mailbox;
    private final SessionState state = new SessionState();
    private final SaslNegotiation sasl;
    private final BindNegotiation bind;

    /** The session this connection was moved under: input goes there from then on. */
    private volatile C2sSession successor;
    private volatile StreamState streamState = StreamState.AWAITING_HEADER;
    private volatile boolean headerSent;
    private volatile boolean secure;
    private volatile String username;
    private volatile Jid jid;
    private volatile Stanza presence;
    /** When the observer will end the session if nobody resumes it; meaningful while detached. */
    private volatile Instant detachedUntil;
    private boolean everAvailable;
    private String streamId;

    public C2sSession(SessionServices services, Channel channel, boolean directTls) {
        this.services = services;
        this.out = new StreamOutput(channel);
        this.secure = directTls;
        this.mailbox = new SerialExecutor(services.executor());
        this.sasl = new SaslNegotiation(this);
        this.bind = new BindNegotiation(this);
    }

    /** Called on the event loop for every decoded item; the work runs on the session's mailbox. */
    void received(Channel from, Object item) {
        mailbox.execute(() -> process(from, item));
    }

    /**
     * The session carried by {@code connection}, this one's or the one it was moved under; null
     * for a connection this session has left for another.
     */
    C2sSession sessionOf(Channel connection) {
        C2sSession s = successor;
        C2sSession current = s == null ? this : s;
        return current.channel() == connection ? current : null;
    }

    /** The connection the session is on now. */
    Channel channel() {
        return out.channel();
    }

    SerialExecutor mailbox() {
        return mailbox;
    }

    private void process(Channel from, Object item) {
        C2sSession next = successor;
        if (next != null) {
            next.received(from, item);
            return;
        }
        if (streamState == StreamState.CLOSED || from != channel()) {
            return; // input of a connection this session has left
        }
        try {
            if (item instanceof StreamHeader header) {
                onHeader(header);
            } else if (item instanceof Element element) {
                onElement(element);
            } else {
                close(null); // the client's </stream:stream>
            }
        } catch (RuntimeException e) {
            log.error("session {} failed", jid, e);
            close(StreamError.of(Condition.INTERNAL_SERVER_ERROR));
        }
    }

    private void onHeader(StreamHeader header) {
        if (streamState != StreamState.AWAITING_HEADER) {
            close(StreamError.of(Condition.BAD_FORMAT, "unexpected stream header"));
            return;
        }
        String to = header.attributes().get("to");
        StreamError error = null;
        if (!Namespaces.STREAMS.equals(header.streamNamespace()) || !"stream".equals(header.localName())) {
            error = StreamError.of(Condition.INVALID_NAMESPACE);
        } else if (!Namespaces.CLIENT.equals(header.namespace())) {
            error = StreamError.of(Condition.INVALID_NAMESPACE, "this port serves jabber:client");
        } else if (to == null || !services.serverJid().equals(Jid.parseOrNull(to))) {
            error = StreamError.of(Condition.HOST_UNKNOWN, "this server serves " + services.serverJid());
        } else if (!versionOk(header.attributes().get("version"))) {
            error = StreamError.of(Condition.UNSUPPORTED_VERSION, "XMPP 1.0 is required");
        }
        sendHeader();
        if (error != null) {
            close(error);
            return;
        }
        streamState = username == null ? StreamState.UNAUTHENTICATED : StreamState.AUTHENTICATED;
        channel().writeAndFlush(StreamFeatures.xml(this));
    }

    private static boolean versionOk(String version) {
        if (version == null) {
            return false;
        }
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot)) == 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void sendHeader() {
        streamId = UUID.randomUUID().toString();
        headerSent = true;
        channel().write(StreamHeader.of(Namespaces.CLIENT, streamId, services.serverJid().toString(), null, "1.0", "en").toXml());
    }

    private void onElement(Element e) {
        switch (streamState) {
            case UNAUTHENTICATED, AUTHENTICATING -> unauthenticated(e);
            case AUTHENTICATED -> {
                if (!nonza(e)) {
                    bind.handle(e);
                }
            }
            case BOUND -> {
                if (Stanza.isStanza(e)) {
                    stanza(e);
                    StreamObserver o = out.observer();
                    if (o != null) {
                        o.received();
                    }
                } else if (!nonza(e)) {
                    stanza(e);
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
        NonzaHandler handler = services.handlers().nonza(e.namespace());
        if (handler == null) {
            return false;
        }
        handler.handle(this, e);
        return true;
    }

    private void unauthenticated(Element e) {
        if (e.is("starttls", Namespaces.TLS)) {
            startTls();
        } else if (Namespaces.SASL.equals(e.namespace())) {
            if (tlsRequired()) {
                sasl.fail("encryption-required", null);
            } else {
                sasl.handle(e);
            }
        } else if (e.is("iq", Namespaces.CLIENT) && !tlsRequired()) {
            bind.preAuthIq(e);
        } else {
            close(StreamError.of(Condition.NOT_AUTHORIZED));
        }
    }

    boolean tlsRequired() {
        return !secure && !services.config().c2s().allowPlaintext();
    }

    boolean tlsOffered() {
        return !secure && services.sslContext() != null;
    }

    private void startTls() {
        if (!tlsOffered() || streamState != StreamState.UNAUTHENTICATED) {
            channel().writeAndFlush(Element.empty("failure", Namespaces.TLS))
                    .addListener(ChannelFutureListener.CLOSE);
            streamState = StreamState.CLOSED;
            return;
        }
        streamState = StreamState.AWAITING_HEADER;
        channel().eventLoop().execute(() -> {
            // The client sends its TLS hello only after <proceed/>, so installing TLS before
            // writing it (with startTls=true, leaving that one write in the clear) is race-free.
            SslHandler ssl = new SslHandler(services.sslContext().newEngine(channel().alloc()), true);
            channel().pipeline().addFirst("tls", ssl);
            restartStream();
            channel().writeAndFlush(Element.empty("proceed", Namespaces.TLS));
            ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    secure = true;
                } else {
                    channel().close();
                }
            });
        });
    }

    /** Makes the decoder expect a fresh stream header; runs on the event loop. */
    void restartStream() {
        headerSent = false;
        XmlStreamDecoder decoder = channel().pipeline().get(XmlStreamDecoder.class);
        if (decoder != null) {
            decoder.reset();
        }
    }

    void authenticated(String user) {
        this.username = user;
        streamState = StreamState.AWAITING_HEADER;
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
    }

    private void stanza(Element e) {
        if (!Stanza.isStanza(e)) {
            close(StreamError.of(Condition.UNSUPPORTED_STANZA_TYPE));
            return;
        }
        if (bind.handlesSessionIq(e)) {
            return;
        }
        Stanza s;
        try {
            s = Stanza.of(e);
        } catch (StanzaErrorException ex) {
            // RFC 6120 §8.3.1: errors are never answered with errors, and an IQ result expects no reply.
            String type = e.attr("type");
            if (!"error".equals(type) && !(e.name().equals("iq") && "result".equals(type))) {
                deliver(Stanza.of(e.withAttr("to", null).withAttr("from", null))
                        .errorReply(ex.error(), services.serverJid()).withTo(jid));
            }
            return;
        }
        if (s.from() != null && !s.from().equals(jid) && !s.from().equals(jid.bare())) {
            close(StreamError.of(Condition.INVALID_FROM));
            return;
        }
        s = s.withFrom(jid);
        StanzaError invalid = StanzaChecks.check(s);
        if (invalid != null) {
            if (!s.isError()) {
                deliver(s.errorReply(invalid, services.serverJid()).withTo(jid));
            }
            return;
        }
        services.router().routeFromClient(s, this);
    }

    /** Ends the stream: header first if none was sent (RFC 6120 §4.9.1.1), then error and close tag. */
    @Override
    public void close(StreamError error) {
        C2sSession next = successor;
        if (next != null) {
            next.close(error);
            return;
        }
        if (out.detached()) {
            // No connection to end: the session itself ends, as its connection loss would have.
            mailbox.execute(() -> {
                if (out.detached()) {
                    out.detached(false);
                    end();
                }
            });
            return;
        }
        if (streamState == StreamState.CLOSED) {
            return;
        }
        streamState = StreamState.CLOSED;
        Channel channel = channel();
        if (!channel.isActive()) {
            return;
        }
        if (!headerSent) {
            sendHeader();
        }
        if (error != null) {
            channel.write(error.toXml());
        }
        channel.writeAndFlush("</stream:stream>").addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void abort() {
        C2sSession next = successor;
        if (next != null) {
            next.abort();
            return;
        }
        channel().close();
    }

    /**
     * A connection is gone: unless it is one this session has left, unbind and tell the listeners,
     * in order after pending work; or stay bound, detached, when the observer asks for it.
     */
    void disconnected(Channel gone) {
        mailbox.execute(() -> {
            C2sSession next = successor;
            if (next != null) {
                next.disconnected(gone);
                return;
            }
            if (gone != channel() || out.detached()) {
                return;
            }
            StreamObserver o = out.observer();
            Instant until = streamState == StreamState.BOUND && o != null ? o.keepDetached() : null;
            if (until != null) {
                detachedUntil = until;
                out.detached(true); // the stream was not closed: the client may come back for it
                services.streams().add(this); // so a shutdown ends it like the connected ones
                detached(o);
                return;
            }
            end();
        });
    }

    /**
     * Tells the listeners the session is detached, with what the lost connection may have
     * swallowed. Asked after the flag is set: a stanza delivered from then on is either in this
     * list or seen by the router as going to a detached session, so none falls between the two.
     */
    private void detached(StreamObserver o) {
        List<Stanza> unacknowledged = new ArrayList<>();
        for (Element e : o.unacknowledged()) {
            try {
                unacknowledged.add(Stanza.of(e));
            } catch (RuntimeException ex) {
                log.debug("session {}: an unacknowledged element is no stanza: {}", jid, ex.getMessage());
            }
        }
        List<Stanza> held = Collections.unmodifiableList(unacknowledged);
        for (SessionListener l : services.handlers().listeners()) {
            try {
                l.detached(this, held);
            } catch (RuntimeException e) {
                log.error("session listener failed", e);
            }
        }
    }

    /** The session is over: unbind and tell the listeners. Runs on the mailbox. */
    private void end() {
        streamState = StreamState.CLOSED;
        services.streams().remove(this);
        if (jid != null && services.directory().unbind(this)) {
            for (SessionListener l : services.handlers().listeners()) {
                try {
                    l.closed(this);
                } catch (RuntimeException e) {
                    log.error("session listener failed", e);
                }
            }
        }
    }

    @Override
    public boolean isDetached() {
        return out.detached();
    }

    @Override
    public Instant detachedUntil() {
        return out.detached() ? detachedUntil : null;
    }

    @Override
    public Session session() {
        return jid == null ? null : this;
    }

    @Override
    public void send(Element element) {
        out.send(element);
    }

    @Override
    public void observe(StreamObserver o, Element announce) {
        out.observe(o, announce);
    }

    @Override
    public StreamObserver observer() {
        return out.observer();
    }

    @Override
    public boolean moveTo(ClientStream target, Runnable first) {
        if (!(target instanceof C2sSession t) || t == this || jid != null || username == null
                || !username.equals(t.username)) {
            return false;
        }
        // The target's own mailbox makes the switch, ordered with its pending work (such as the
        // loss of its old connection); this connection's input waits meanwhile.
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        t.mailbox.execute(() -> done.complete(!done.isDone() && t.adopt(this, first)));
        boolean moved;
        try {
            moved = done.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            moved = !done.complete(false) && done.join();
        } catch (Exception e) {
            moved = false;
        }
        if (moved) {
            successor = t;
            streamState = StreamState.CLOSED;
        }
        return moved;
    }

    /** Continues this session on {@code fresh}'s connection; runs on this session's mailbox. */
    private boolean adopt(C2sSession fresh, Runnable first) {
        if (streamState == StreamState.CLOSED && !out.detached() || jid == null) {
            return false;
        }
        secure = fresh.secure;
        streamId = fresh.streamId;
        headerSent = true;
        streamState = StreamState.BOUND;
        Channel old = out.switchTo(fresh.channel(), first);
        if (old != fresh.channel() && old.isActive()) {
            // The connection this session left ends with conflict: only one carries it.
            old.write(StreamError.of(Condition.CONFLICT, "resumed on another connection").toXml());
            old.writeAndFlush("</stream:stream>").addListener(ChannelFutureListener.CLOSE);
        }
        return true;
    }

    @Override
    public Jid jid() {
        return jid;
    }

    @Override
    public void deliver(Stanza stanza) {
        out.deliver(stanza.element());
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
        return secure;
    }

    @Override
    public <T> T get(SessionKey<T> key) {
        return state.get(key);
    }

    @Override
    public <T> void put(SessionKey<T> key, T value) {
        state.put(key, value);
    }

    String streamId() {
        return streamId;
    }

    @Override
    public String toString() {
        return "C2sSession[" + (jid != null ? jid : channel().remoteAddress()) + "]";
    }
}
