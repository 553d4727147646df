package org.parley.net;

import com.fasterxml.aalto.AsyncXMLInputFactory;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import org.parley.c2s.C2sSession;
import org.parley.c2s.Connection;
import org.parley.c2s.InboundBudget;
import org.parley.c2s.StreamInput;
import org.parley.c2s.SessionServices;
import org.parley.config.Config;
import org.parley.http.HttpRoutes;
import org.parley.http.Request;
import org.parley.http.Response;
import org.parley.xml.XmlLimits;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xmpp.Namespaces;

/**
 * XMPP over WebSocket (RFC 7395) at {@value #PATH} on the HTTP listener: checks the upgrade
 * request (the {@code xmpp} subprotocol, §3.1; a browser's {@code Origin} against
 * {@code websocket.allowedOrigins}), then takes the connection over with the pipeline
 * {@code guard → [tls] → wsdecoder → wsencoder → ws-aggregator → idle → ws-xml-encoder
 * → ws-framing → shaper → xml-decoder → session}, whose {@link WebSocketConnection} a {@link C2sSession}
 * writes to. Everything from SASL up is the TCP stream's.
 */
public final class WebSocketEndpoint {
    public static final String PATH = "/xmpp-websocket";
    static final String SUBPROTOCOL = "xmpp";
    /** What the XML decoder parses the messages inside of; never sent. */
    private static final byte[] WRAPPER = ("<stream:stream xmlns='" + Namespaces.CLIENT + "' xmlns:stream='"
            + Namespaces.STREAMS + "'>").getBytes(StandardCharsets.UTF_8);

    private final SessionServices services;
    private final AsyncXMLInputFactory parsers = XmlStreamDecoder.secureFactory();

    private WebSocketEndpoint(SessionServices services) {
        this.services = services;
    }

    /** Adds {@value #PATH} to {@code routes} when {@code websocket.enabled}; returns whether it did. */
    public static boolean install(HttpRoutes routes, SessionServices services) {
        if (!services.config().websocket().enabled()) {
            return false;
        }
        routes.route(HttpMethod.GET, PATH, new WebSocketEndpoint(services)::handle);
        return true;
    }

    private Response handle(Request request) {
        if (!request.wantsUpgrade("websocket")) {
            return Response.error(HttpResponseStatus.UPGRADE_REQUIRED, "upgrade-required",
                    "XMPP over WebSocket (RFC 7395): upgrade to websocket with the xmpp subprotocol")
                    .header(HttpHeaderNames.UPGRADE, "websocket");
        }
        String origin = request.header(HttpHeaderNames.ORIGIN);
        if (!services.config().websocket().allows(origin)) {
            return Response.error(HttpResponseStatus.FORBIDDEN, "origin-not-allowed",
                    "this origin may not connect (websocket.allowedOrigins)");
        }
        String protocols = request.header(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (protocols == null || Arrays.stream(protocols.split(",")).map(String::trim).noneMatch(SUBPROTOCOL::equals)) {
            return Response.error(HttpResponseStatus.BAD_REQUEST, "subprotocol-required",
                    "RFC 7395 §3.1: ask for the xmpp subprotocol (Sec-WebSocket-Protocol: xmpp)");
        }
        boolean secure = secure(request);
        String url = (request.secure() ? "wss://" : "ws://") + request.header(HttpHeaderNames.HOST) + PATH;
        return Response.upgrade((channel, upgrade) -> takeOver(channel, upgrade, url, secure));
    }

    /**
     * Whether a web transport's stream counts as encrypted: it came over the TLS port, or over the
     * plain port from a reverse proxy on this machine, which terminated TLS.
     */
    static boolean secure(Request request) {
        InetSocketAddress address = request.remoteAddress();
        return request.secure() || address != null && address.getAddress() != null
                && address.getAddress().isLoopbackAddress();
    }

    private void takeOver(Channel channel, FullHttpRequest upgrade, String url, boolean secure) {
        Config config = services.config();
        int maxBytes = config.limits().maxStanzaBytes();
        WebSocketDecoderConfig frames = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxBytes)
                .allowExtensions(false)
                .closeOnProtocolViolation(false) // the session ends the stream with its error first
                .build();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, SUBPROTOCOL, frames)
                .newHandshaker(upgrade);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel)
                    .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            return;
        }
        WebSocketConnection connection = new WebSocketConnection(channel, services.serverJid(), secure,
                services.config().c2s().maxPendingOutputBytes(), services.config().websocket().seeOtherUri(),
                services.config().c2s().closeTimeout());
        XmlStreamDecoder decoder = new XmlStreamDecoder(
                new XmlLimits(maxBytes, config.limits().maxDepth()), parsers);
        handshaker.handshake(channel, upgrade).addListener(done -> {
            if (done.isSuccess()) {
                channel.config().setAutoRead(true);
            } else {
                channel.close();
            }
        });
        ChannelPipeline p = channel.pipeline();
        p.addFirst(ConnectionGuard.NAME, new ConnectionGuard(connection.id(), config.c2s().sendTimeout()));
        p.addLast("ws-aggregator", new WebSocketFrameAggregator(maxBytes));
        p.addLast("idle", new IdleTimers(config.ping().idle().toMillis(), config.c2s().keepaliveInterval().toMillis()));
        xmpp(p, connection, decoder, c -> new C2sSession(services, c), config.c2s().maxQueuedStanzas(),
                new InboundShaper(InboundRates.Limits.of(config.c2s())), services.inbound());
    }

    /**
     * Adds the XMPP half of the pipeline behind the WebSocket frames: {@code ws-xml-encoder →
     * ws-framing → shaper → xml-decoder → session}, and opens the decoder's synthetic stream. The
     * shaper counts the messages' text and the elements, as on TCP (c2s.maxInbound*).
     */
    static void xmpp(ChannelPipeline p, WebSocketConnection connection, XmlStreamDecoder decoder,
                     Function<Connection, StreamInput> sessions, int maxQueued, InboundShaper shaper,
                     InboundBudget budget) {
        p.addLast("ws-xml-encoder", new WebSocketEncoder());
        p.addLast(WebSocketFraming.NAME, new WebSocketFraming());
        p.addLast(InboundShaper.NAME, shaper);
        p.addLast("xml-decoder", decoder);
        p.addLast("session", new WebSocketHandler(connection, decoder, sessions, maxQueued, shaper, budget));
        p.context(WebSocketFraming.NAME).fireChannelRead(Unpooled.wrappedBuffer(WRAPPER));
    }
}
