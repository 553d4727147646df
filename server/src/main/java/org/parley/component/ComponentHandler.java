package org.parley.component;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.UUID;
import org.parley.session.SerialExecutor;
import org.parley.session.Session;
import org.parley.xml.Element;
import org.parley.xml.StreamHeader;
import org.parley.xml.XmlStreamException;
import org.parley.xmpp.Digests;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.StreamError;
import org.parley.xmpp.StreamError.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One component connection (XEP-0114 §3): the stream header names the domain, the server answers
 * with a stream id, the component proves the secret with {@code <handshake>hex(SHA-1(id +
 * secret))</handshake>}, and from then on its stanzas are routed and stanzas to its domain are
 * written to it. Work runs in arrival order off the event loop, because binding and routing may
 * wait on Redis or the database.
 */
final class ComponentHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ComponentHandler.class);

    private enum State { AWAITING_HEADER, AWAITING_HANDSHAKE, READY, CLOSED }

    private final ComponentServices services;
    /** Serialises "is the domain connected? then bind" among this listener's connections. */
    private final Object bindLock;
    private final SerialExecutor mailbox;
    private Channel channel;
    private volatile State state = State.AWAITING_HEADER;
    private volatile boolean headerSent;
    private String domain;
    private String streamId;
    private ComponentSession session;

    ComponentHandler(ComponentServices services, Object bindLock) {
        this.services = services;
        this.bindLock = bindLock;
        this.mailbox = new SerialExecutor(services.executor());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        mailbox.execute(() -> process(msg));
    }

    private void process(Object item) {
        if (state == State.CLOSED) {
            return;
        }
        try {
            if (item instanceof StreamHeader header) {
                onHeader(header);
            } else if (item instanceof Element e) {
                onElement(e);
            } else {
                close(null); // the component's </stream:stream>
            }
        } catch (RuntimeException e) {
            log.error("component {} failed", domain, e);
            close(StreamError.of(Condition.INTERNAL_SERVER_ERROR));
        }
    }

    private void onHeader(StreamHeader header) {
        if (state != State.AWAITING_HEADER) {
            close(StreamError.of(Condition.BAD_FORMAT, "unexpected stream header"));
            return;
        }
        Jid to = Jid.parseOrNull(header.to());
        domain = to == null || !to.isDomainOnly() ? null : to.domain();
        streamId = UUID.randomUUID().toString();
        // Pre-XMPP-1.0 stream (XEP-0114 §3): no version, no stream features.
        channel.write(StreamHeader.of(ComponentNamespaces.ACCEPT, streamId,
                domain != null ? domain : services.serverJid().toString(), null, null, null).toXml());
        headerSent = true;
        if (!StreamHeader.STREAMS_NAMESPACE.equals(header.streamNamespace()) || !"stream".equals(header.localName())
                || !ComponentNamespaces.ACCEPT.equals(header.namespace())) {
            close(StreamError.of(Condition.INVALID_NAMESPACE, "this port serves jabber:component:accept"));
        } else if (domain == null || !services.secrets().containsKey(domain)) {
            close(StreamError.of(Condition.HOST_UNKNOWN, "no component is configured for that domain"));
        } else {
            state = State.AWAITING_HANDSHAKE;
            channel.flush();
        }
    }

    private void onElement(Element e) {
        switch (state) {
            case AWAITING_HANDSHAKE -> handshake(e);
            case READY -> stanza(e);
            default -> close(StreamError.of(Condition.NOT_AUTHORIZED));
        }
    }

    private void handshake(Element e) {
        if (!e.is("handshake", ComponentNamespaces.ACCEPT)
                || !matches(e.text(), expectedHandshake(streamId, services.secrets().get(domain)))) {
            close(StreamError.of(Condition.NOT_AUTHORIZED));
            return;
        }
        synchronized (bindLock) {
            // XEP-0114 §3: one connection per domain; a second one is refused, the first one stays.
            if (services.directory().session(ComponentServices.address(domain)) != null) {
                close(StreamError.of(Condition.CONFLICT, domain + " is already connected"));
                return;
            }
            session = new ComponentSession(domain, channel, this);
            Session replaced = services.directory().bind(session);
            if (replaced != null) {
                replaced.close(StreamError.of(Condition.CONFLICT, "replaced by a new connection"));
            }
        }
        state = State.READY;
        channel.writeAndFlush(Element.empty("handshake", ComponentNamespaces.ACCEPT));
        log.info("component {} connected from {}", domain, channel.remoteAddress());
    }

    /** The handshake value of XEP-0114 §3: lower-case hex SHA-1 of the stream id followed by the secret. */
    static String expectedHandshake(String streamId, String secret) {
        return Digests.sha1Hex((streamId + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static boolean matches(String given, String expected) {
        String g = given == null ? "" : given.trim().toLowerCase(Locale.ROOT);
        return MessageDigest.isEqual(g.getBytes(StandardCharsets.US_ASCII), expected.getBytes(StandardCharsets.US_ASCII));
    }

    private void stanza(Element raw) {
        if (!ComponentNamespaces.ACCEPT.equals(raw.namespace())
                || !(raw.name().equals("message") || raw.name().equals("presence") || raw.name().equals("iq"))) {
            close(StreamError.of(Condition.UNSUPPORTED_STANZA_TYPE));
            return;
        }
        Element e = ComponentNamespaces.convert(raw, ComponentNamespaces.ACCEPT, Namespaces.CLIENT);
        Stanza s;
        try {
            s = Stanza.of(e);
        } catch (StanzaErrorException ex) {
            close(StreamError.of(Condition.IMPROPER_ADDRESSING, ex.getMessage()));
            return;
        }
        // XEP-0114 leaves addressing to the component, within its own domain: RFC 6120 §4.9.3.9.
        if (s.from() == null || !ComponentRoutes.within(s.from().domain(), domain)) {
            close(StreamError.of(Condition.INVALID_FROM, "'from' must be in " + domain));
            return;
        }
        if (s.to() == null) {
            close(StreamError.of(Condition.IMPROPER_ADDRESSING, "a component's stanzas need 'to'"));
            return;
        }
        services.router().route(s);
    }

    /** Ends the stream with an error (or cleanly when null); header first if none was sent. */
    void close(StreamError error) {
        mailbox.execute(() -> closeNow(error));
    }

    private void closeNow(StreamError error) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        unbind();
        if (!channel.isActive()) {
            return;
        }
        if (!headerSent) {
            channel.write(StreamHeader.of(ComponentNamespaces.ACCEPT, UUID.randomUUID().toString(),
                    services.serverJid().toString(), null, null, null).toXml());
            headerSent = true;
        }
        if (error != null) {
            channel.write(error.toXml());
        }
        channel.writeAndFlush("</stream:stream>").addListener(ChannelFutureListener.CLOSE);
    }

    private void unbind() {
        ComponentSession s = session;
        session = null;
        if (s != null && services.directory().unbind(s)) {
            log.info("component {} disconnected", s.domain());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        XmlStreamException x = XmlStreamException.in(cause);
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (x != null) {
            close(StreamError.of(x));
        } else if (root instanceof IOException) {
            ctx.close();
        } else {
            close(StreamError.of(Condition.INTERNAL_SERVER_ERROR));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        mailbox.execute(() -> {
            state = State.CLOSED;
            unbind();
        });
        ctx.fireChannelInactive();
    }
}
