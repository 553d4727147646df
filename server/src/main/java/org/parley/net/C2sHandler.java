package org.parley.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.parley.c2s.Connection;
import org.parley.c2s.InboundBudget;
import org.parley.c2s.StreamInput;
import org.parley.xml.Element;
import org.parley.xml.StreamEnd;
import org.parley.xml.StreamHeader;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xml.XmlStreamException;
import org.parley.xmpp.StreamError;
import org.parley.xmpp.StreamError.Condition;

/**
 * The last handler of a client pipeline: hands decoded items to the session's
 * {@link StreamInput}, maps parser failures to stream errors, pauses reading while the session is
 * behind, and turns the pipeline's events into what the session and connection need — the TLS
 * handshake's outcome, a whitespace keepalive when the server has been quiet, a silence check
 * when the client has.
 */
final class C2sHandler extends ChannelInboundHandlerAdapter {
    private final TcpConnection connection;
    private final Function<Connection, StreamInput> sessions;
    private final int maxQueued;
    private final InboundShaper shaper;
    private final XmlStreamDecoder decoder;
    private final InboundBudget budget;
    private StreamInput input;
    private boolean ended;

    /**
     * @param sessions  makes the session of a new connection
     * @param maxQueued input items a session may have waiting before reading pauses
     * @param shaper    the connection's inbound rates, which also decides when reading resumes
     * @param decoder   the connection's decoder, held with the socket while the session is behind
     * @param budget    the server's bound on all sessions' waiting input
     */
    C2sHandler(TcpConnection connection, Function<Connection, StreamInput> sessions, int maxQueued,
               InboundShaper shaper, XmlStreamDecoder decoder, InboundBudget budget) {
        this.connection = connection;
        this.sessions = sessions;
        this.maxQueued = maxQueued;
        this.shaper = shaper;
        this.decoder = decoder;
        this.budget = budget;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        input = sessions.apply(connection);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case Element e -> input.element(connection, e, decoder.lastElementBytes());
            case StreamHeader h -> input.header(connection, h);
            case StreamEnd end -> input.end(connection);
            default -> {
                ctx.fireChannelRead(msg);
                return;
            }
        }
        shaper.stanza(ctx);
        if (shaper.abusive()) {
            input.failed(connection, StreamError.of(Condition.POLICY_VIOLATION, "sending too fast for too long"));
            return;
        }
        if (shaper.backlogged()) {
            return;
        }
        // Stop reading from a client whose input queues up faster than it is processed, and from
        // one with input waiting while the server as a whole has too much (InboundBudget): what
        // it sends meanwhile waits in TCP buffers, and the rest of this read unparsed.
        int backlog = input.backlog();
        if (backlog > maxQueued) {
            hold(ctx);
            input.whenCaughtUp(() -> ctx.channel().eventLoop().execute(() -> release(ctx)));
        } else if (backlog > 1 && budget.over()) {
            hold(ctx);
            budget.whenBelow(() -> ctx.channel().eventLoop().execute(() -> release(ctx)));
        }
    }

    private void hold(ChannelHandlerContext ctx) {
        shaper.holdForBacklog(ctx);
        decoder.hold();
    }

    private void release(ChannelHandlerContext ctx) {
        shaper.releaseBacklog(ctx);
        // What the decoder held may hold it again at once (its elements go through channelRead).
        decoder.release(ctx.channel());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        XmlStreamException x = XmlStreamException.in(cause);
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (x != null) {
            input.failed(connection, StreamError.of(x));
        } else if (root instanceof SSLException || root instanceof IOException) {
            ctx.close();
        } else {
            input.failed(connection, StreamError.of(Condition.INTERNAL_SERVER_ERROR));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        streamEnded();
        ctx.fireChannelInactive();
    }

    /**
     * The connection is over for the session: it closed, or the server's closing tag is out and
     * only the half-close is left ({@link TcpConnection#close}), so the session ends as soon as it
     * would have had the connection closed at once; stanzas for it go elsewhere meanwhile instead of
     * to a stream that takes no more. Once; on the event loop.
     */
    void streamEnded() {
        if (!ended) {
            ended = true;
            input.disconnected(connection);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                input.silent(connection);
            } else if (idle.state() == IdleState.WRITER_IDLE) {
                connection.keepalive();
            }
        } else if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                connection.secured();
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                SSLSession tls = ssl == null ? null : ssl.engine().getSession();
                input.secured(connection, tls == null ? "?" : tls.getProtocol(), tls == null ? "?" : tls.getCipherSuite());
            } else {
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }
}
