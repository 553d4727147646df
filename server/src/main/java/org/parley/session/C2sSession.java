package org.parley.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslHandler;
import java.util.UUID;
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
public final class C2sSession implements Session {
    private static final Logger log = LoggerFactory.getLogger(C2sSession.class);

    final SessionServices services;
    final Channel channel;
    private final SerialExecutor mailbox;
    private final SessionState state = new SessionState();
    private final SaslNegotiation sasl;
    private final BindNegotiation bind;

    private final Runnable flush;
    private boolean flushPending; // event loop only
    private volatile StreamState streamState = StreamState.AWAITING_HEADER;
    private volatile boolean headerSent;
    private volatile boolean secure;
    private volatile String username;
    private volatile Jid jid;
    private volatile Stanza presence;
    private boolean everAvailable;
    private String streamId;

    public C2sSession(SessionServices services, Channel channel, boolean directTls) {
        this.services = services;
        this.channel = channel;
        this.secure = directTls;
        this.mailbox = new SerialExecutor(services.executor());
        this.sasl = new SaslNegotiation(this);
        this.bind = new BindNegotiation(this);
        this.flush = () -> {
            flushPending = false;
            channel.flush();
        };
    }

    /** Called on the event loop for every decoded item; the work runs on the session's mailbox. */
    void received(Object item) {
        mailbox.execute(() -> process(item));
    }

    SerialExecutor mailbox() {
        return mailbox;
    }

    private void process(Object item) {
        if (streamState == StreamState.CLOSED) {
            return;
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
        channel.writeAndFlush(StreamFeatures.xml(this));
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
        channel.write(StreamHeader.of(Namespaces.CLIENT, streamId, services.serverJid().toString(), null, "1.0", "en").toXml());
    }

    private void onElement(Element e) {
        switch (streamState) {
            case UNAUTHENTICATED, AUTHENTICATING -> unauthenticated(e);
            case AUTHENTICATED -> bind.handle(e);
            case BOUND -> stanza(e);
            default -> close(StreamError.of(Condition.BAD_FORMAT));
        }
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
        return !secure && !services.config().allowPlaintext();
    }

    boolean tlsOffered() {
        return !secure && services.sslContext() != null;
    }

    private void startTls() {
        if (!tlsOffered() || streamState != StreamState.UNAUTHENTICATED) {
            channel.writeAndFlush(Element.empty("failure", Namespaces.TLS))
                    .addListener(ChannelFutureListener.CLOSE);
            streamState = StreamState.CLOSED;
            return;
        }
        streamState = StreamState.AWAITING_HEADER;
        channel.eventLoop().execute(() -> {
            // The client sends its TLS hello only after <proceed/>, so installing TLS before
            // writing it (with startTls=true, leaving that one write in the clear) is race-free.
            SslHandler ssl = new SslHandler(services.sslContext().newEngine(channel.alloc()), true);
            channel.pipeline().addFirst("tls", ssl);
            restartStream();
            channel.writeAndFlush(Element.empty("proceed", Namespaces.TLS));
            ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    secure = true;
                } else {
                    channel.close();
                }
            });
        });
    }

    /** Makes the decoder expect a fresh stream header; runs on the event loop. */
    void restartStream() {
        headerSent = false;
        XmlStreamDecoder decoder = channel.pipeline().get(XmlStreamDecoder.class);
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

    String username() {
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
        if (streamState == StreamState.CLOSED) {
            return;
        }
        streamState = StreamState.CLOSED;
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

    /** The connection is gone: unbind and tell the listeners, in order after pending work. */
    void disconnected() {
        mailbox.execute(() -> {
            streamState = StreamState.CLOSED;
            if (jid != null && services.directory().unbind(this)) {
                for (SessionListener l : services.handlers().listeners()) {
                    try {
                        l.closed(this);
                    } catch (RuntimeException e) {
                        log.error("session listener failed", e);
                    }
                }
            }
        });
    }

    @Override
    public Jid jid() {
        return jid;
    }

    @Override
    public void deliver(Stanza stanza) {
        if (!channel.isActive()) {
            return;
        }
        Element e = stanza.element();
        if (channel.eventLoop().inEventLoop()) {
            writeBatched(e);
        } else {
            channel.eventLoop().execute(() -> writeBatched(e));
        }
    }

    /**
     * One flush (one syscall) per burst instead of one per stanza. Runs on the event loop only:
     * the flush task is queued behind the writes of the burst, and a write that runs after it
     * schedules the next one.
     */
    private void writeBatched(Element e) {
        channel.write(e, channel.voidPromise());
        if (!flushPending) {
            flushPending = true;
            channel.eventLoop().execute(flush);
        }
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
        return "C2sSession[" + (jid != null ? jid : channel.remoteAddress()) + "]";
    }
}
