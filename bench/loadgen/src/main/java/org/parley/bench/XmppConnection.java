package org.parley.bench;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import org.parley.auth.ScramClient;

/**
 * One client stream, driven as a small state machine: stream header, optional STARTTLS, then
 * either XEP-0077 registration or SASL (PLAIN or SCRAM-SHA-1), stream restart, resource
 * binding and initial presence. Once online it hands every incoming message to the listener
 * and answers server iq gets (pings) so no server drops it for silence.
 */
final class XmppConnection extends SimpleChannelInboundHandler<String> {

    enum Mode { LOGIN, REGISTER }

    /** What a scenario learns from a connection; called on the connection's event loop. */
    interface Listener {
        void online(XmppConnection c);

        /** Registration finished: {@code created} false means the account already existed. */
        default void registered(XmppConnection c, boolean created) {
        }

        void failed(XmppConnection c, String reason);

        void message(XmppConnection c, String stanza);

        /** An iq result with the id given to {@link #ping}. */
        default void pong(XmppConnection c) {
        }

        /** Any iq result or error once online, whole (after {@link #pong} for results). */
        default void iq(XmppConnection c, String stanza) {
        }

        /** A presence once online, whole (group chat joins). */
        default void presence(XmppConnection c, String stanza) {
        }
    }

    private enum State { FEATURES, STARTTLS, AUTH, RESTARTED, BIND, ONLINE, REGISTER, DONE }

    private final Target target;
    private final int user;
    private final Mode mode;
    private final Listener listener;
    private final StanzaSplitter splitter = new StanzaSplitter();
    private Channel channel;
    private State state = State.FEATURES;
    private boolean secured;
    private ScramClient scram;

    XmppConnection(Target target, int user, Mode mode, Listener listener) {
        this.target = target;
        this.user = user;
        this.mode = mode;
        this.listener = listener;
    }

    StanzaSplitter splitter() {
        return splitter;
    }

    int user() {
        return user;
    }

    boolean isOnline() {
        return state == State.ONLINE && channel != null && channel.isActive();
    }

    /** Thread-safe: Netty hands the write to the channel's event loop. */
    void send(String xml) {
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(ByteBufUtil.writeUtf8(ch.alloc(), xml), ch.voidPromise());
        }
    }

    /** Stops reading from the socket (the slow-reader scenario's victim): the server's writes pile up. */
    void stopReading() {
        Channel ch = channel;
        if (ch != null) {
            ch.config().setAutoRead(false);
        }
    }

    void ping(String id) {
        send("<iq type='get' id='" + id + "' to='" + target.domain() + "'><ping xmlns='urn:xmpp:ping'/></iq>");
    }

    void close() {
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            state = State.DONE;
            ch.writeAndFlush(ByteBufUtil.writeUtf8(ch.alloc(), "</stream:stream>")).addListener(f -> ch.close());
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        openStream();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state != State.DONE) {
            fail("connection closed in state " + state);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        ctx.close();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String piece) {
        if (piece.startsWith("<message")) {
            listener.message(this, piece);
            return;
        }
        if (piece == StanzaSplitter.STREAM_OPEN || piece.isEmpty()) {
            return;
        }
        if (piece == StanzaSplitter.STREAM_CLOSE || piece.startsWith("<stream:error")) {
            fail("stream closed by server: " + abbreviate(piece));
            ctx.close();
            return;
        }
        switch (state) {
            case FEATURES, RESTARTED -> onFeatures(piece);
            case STARTTLS -> onStartTls(ctx, piece);
            case AUTH -> onAuth(piece);
            case BIND -> onBind(piece);
            case REGISTER -> onRegister(piece);
            case ONLINE, DONE -> onOnline(piece);
        }
    }

    private void onFeatures(String piece) {
        if (!piece.startsWith("<stream:features")) {
            return;
        }
        if (state == State.RESTARTED) {
            state = State.BIND;
            send("<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>lg</resource></bind></iq>");
        } else if (target.startTls() && !secured && piece.contains("<starttls")) {
            state = State.STARTTLS;
            send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        } else if (target.startTls() && !secured) {
            failAndClose("STARTTLS requested but not offered");
        } else if (mode == Mode.REGISTER) {
            state = State.REGISTER;
            send("<iq type='set' id='reg1'><query xmlns='jabber:iq:register'><username>" + Target.userName(user)
                    + "</username><password>" + target.password() + "</password></query></iq>");
        } else {
            startAuth(piece);
        }
    }

    private void startAuth(String features) {
        boolean plainOffered = features.contains(">PLAIN<");
        String mech = target.mechanism();
        boolean usePlain = mech.equals("PLAIN") || (mech.equals("auto") && plainOffered);
        state = State.AUTH;
        if (usePlain) {
            String creds = "\0" + Target.userName(user) + "\0" + target.password();
            send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
                    + Base64.getEncoder().encodeToString(creds.getBytes(StandardCharsets.UTF_8)) + "</auth>");
        } else {
            // A cheap nonce: a load generator trusts the server it measures, and SecureRandom per login costs.
            String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + Long.toHexString(ThreadLocalRandom.current().nextLong());
            scram = new ScramClient("SCRAM-SHA-1", Target.userName(user), target.password(), nonce, target.scramCache());
            send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>"
                    + Base64.getEncoder().encodeToString(scram.clientFirst()) + "</auth>");
        }
    }

    private void onStartTls(ChannelHandlerContext ctx, String piece) {
        if (!piece.startsWith("<proceed")) {
            failAndClose("STARTTLS refused: " + abbreviate(piece));
            return;
        }
        SslHandler ssl = target.ssl().newHandler(ctx.alloc(), target.host(), target.port());
        ctx.pipeline().addFirst("ssl", ssl);
        secured = true;
        state = State.FEATURES;
        openStream(); // SslHandler holds the header until the handshake is done
    }

    private void onAuth(String piece) {
        if (piece.startsWith("<challenge") && scram != null) {
            byte[] clientFinal = scram.clientFinal(Base64.getDecoder().decode(text(piece).strip()));
            send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" + Base64.getEncoder().encodeToString(clientFinal)
                    + "</response>");
        } else if (piece.startsWith("<success")) {
            state = State.RESTARTED;
            openStream();
        } else {
            failAndClose("auth failed: " + abbreviate(piece));
        }
    }

    private void onBind(String piece) {
        if (!piece.startsWith("<iq")) {
            return;
        }
        if (piece.contains("type='result'") || piece.contains("type=\"result\"")) {
            state = State.ONLINE;
            send("<presence/>");
            listener.online(this);
        } else {
            failAndClose("bind failed: " + abbreviate(piece));
        }
    }

    private void onRegister(String piece) {
        if (!piece.startsWith("<iq")) {
            return;
        }
        boolean ok = piece.contains("type='result'") || piece.contains("type=\"result\"");
        boolean exists = piece.contains("<conflict");
        if (ok || exists) {
            state = State.DONE;
            listener.registered(this, ok);
            close();
        } else {
            failAndClose("registration failed: " + abbreviate(piece));
        }
    }

    private void onOnline(String piece) {
        if (piece.startsWith("<presence")) {
            listener.presence(this, piece);
            return;
        }
        if (!piece.startsWith("<iq")) {
            return;
        }
        if (piece.contains("type='get'") || piece.contains("type=\"get\"")) {
            String id = attr(piece, "id");
            String from = attr(piece, "from");
            send("<iq type='result' id='" + id + "'" + (from == null ? "" : " to='" + from + "'") + "/>");
        } else if (piece.contains("type='result'") || piece.contains("type=\"result\"")) {
            listener.pong(this);
            listener.iq(this, piece);
        } else if (piece.contains("type='error'") || piece.contains("type=\"error\"")) {
            listener.iq(this, piece);
        }
    }

    private void openStream() {
        splitter.reset();
        send("<?xml version='1.0'?><stream:stream to='" + target.domain()
                + "' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
    }

    private void failAndClose(String reason) {
        fail(reason);
        if (channel != null) {
            channel.close();
        }
    }

    private void fail(String reason) {
        if (state != State.DONE) {
            state = State.DONE;
            listener.failed(this, reason);
        }
    }

    /** Text content of a simple element such as {@code <challenge xmlns='...'>abc=</challenge>}. */
    static String text(String element) {
        int gt = element.indexOf('>');
        int end = element.lastIndexOf("</");
        return gt < 0 || end < gt ? "" : element.substring(gt + 1, end);
    }

    /** An attribute of the first tag, single- or double-quoted; null if absent. */
    static String attr(String element, String name) {
        int tagEnd = element.indexOf('>');
        for (String q : new String[] {"'", "\""}) {
            int i = element.indexOf(" " + name + "=" + q);
            if (i >= 0 && (tagEnd < 0 || i < tagEnd)) {
                int s = i + name.length() + 3;
                int e = element.indexOf(q, s);
                return e < 0 ? null : element.substring(s, e);
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
