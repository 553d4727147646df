package org.parley.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.parley.xml.Element;
import org.parley.xml.XmlStreamException;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StreamError;
import org.parley.xmpp.StreamError.Condition;

/**
 * The last handler of a client pipeline: hands decoded items to the {@link C2sSession}, maps
 * parser failures to stream errors, pauses reading while the session is behind, and keeps the
 * connection honest with whitespace keepalives and XEP-0199 pings when the client is silent.
 */
public final class C2sHandler extends ChannelInboundHandlerAdapter {
    private final SessionServices services;
    private final boolean directTls;
    private C2sSession session;

    public C2sHandler(SessionServices services, boolean directTls) {
        this.services = services;
        this.directTls = directTls;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        session = new C2sSession(services, ctx.channel(), directTls);
        services.streams().add(session);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        session.received(ctx.channel(), msg);
        // Stop reading from a client whose stanzas queue up faster than they are processed.
        if (session.mailbox().backlog() > services.config().c2s().maxQueuedStanzas()
                && ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
            session.mailbox().execute(() -> ctx.channel().eventLoop().execute(() -> {
                ctx.channel().config().setAutoRead(true);
            }));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        XmlStreamException x = XmlStreamException.in(cause);
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (x != null) {
            StreamError error = StreamError.of(x);
            session.mailbox().execute(() -> closeSession(ctx, error));
        } else if (root instanceof SSLException || root instanceof IOException) {
            ctx.close();
        } else {
            session.mailbox().execute(() -> closeSession(ctx, StreamError.of(Condition.INTERNAL_SERVER_ERROR)));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        services.streams().remove(session);
        session.disconnected(ctx.channel());
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                session.mailbox().execute(() -> silent(ctx));
            } else if (idle.state() == IdleState.WRITER_IDLE) {
                C2sSession s = session.sessionOf(ctx.channel());
                StreamState state = s == null ? StreamState.CLOSED : s.streamState();
                // Only inside an open stream: before our header a space would precede the XML declaration.
                if (state != StreamState.CLOSED && state != StreamState.AWAITING_HEADER) {
                    ctx.writeAndFlush(" ", ctx.voidPromise()); // RFC 6120 §4.6.1 whitespace keepalive
                }
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Ends the session this connection carries; a connection a resumed session left is just closed. */
    private void closeSession(ChannelHandlerContext ctx, StreamError error) {
        C2sSession s = session.sessionOf(ctx.channel());
        if (s == null) {
            ctx.close();
        } else {
            s.close(error);
        }
    }

    /** The client has been silent for the idle period: ping it once, drop it if it does not answer. */
    private void silent(ChannelHandlerContext ctx) {
        C2sSession session = this.session.sessionOf(ctx.channel()); // after a resumption: the resumed session
        if (session == null) {
            ctx.close();
            return;
        }
        Jid jid = session.jid();
        if (jid == null || session.streamState() != StreamState.BOUND) {
            session.close(StreamError.of(Condition.CONNECTION_TIMEOUT));
            return;
        }
        String id = services.router().iqTracker().nextId();
        Duration timeout = services.config().ping().timeout();
        services.router().iqTracker().expect(id, jid, timeout).whenComplete((answer, failure) -> {
            if (failure != null) {
                session.mailbox().execute(() -> session.close(StreamError.of(Condition.CONNECTION_TIMEOUT)));
            }
        });
        // Straight to the session, not through the DELIVER hooks: a keepalive is not news, and
        // hooks that act on a delivery (releasing what they hold, say) must not see it.
        session.deliver(Stanza.iq(services.serverJid(), jid, "get", id, Element.empty("ping", Namespaces.PING)));
    }
}
