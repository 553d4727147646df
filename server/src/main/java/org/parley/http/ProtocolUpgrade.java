package org.parley.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Takes a connection over from HTTP, for a protocol upgrade (RFC 9110 §7.8): a handler returns
 * {@link Response#upgrade(ProtocolUpgrade)} and the server, once every earlier response on the
 * connection is written, removes its own HTTP handlers (timeouts, chunked writer, dispatcher) and
 * calls {@link #takeOver} on the connection's event loop. What is left is
 * {@code [tls] → http-decoder → http-encoder}; the upgrade writes its own
 * {@code 101 Switching Protocols} (or a refusal) through the encoder, then replaces the decoder
 * and encoder with its protocol's handlers, its own timeouts among them (the HTTP ones left
 * with the HTTP handlers). The channel does not read by itself (auto-read is
 * off): the new protocol calls {@code read()} or turns auto-read on when it is ready.
 *
 * <p>XMPP over WebSocket (RFC 7395) is built on this ({@code net.WebSocketEndpoint}, at {@code /xmpp-websocket}): the
 * route's handler checks the request on its virtual thread ({@link Request#wantsUpgrade} for
 * {@code websocket}, the {@code Origin} against the allowed origins, the {@code xmpp}
 * subprotocol), answers a plain GET with 426 and, for a good request, returns
 * <pre>{@code
 * Response.upgrade((channel, request) -> {
 *     var handshaker = new WebSocketServerHandshakerFactory(url, "xmpp", false, maxFrame).newHandshaker(request);
 *     handshaker.handshake(channel, request);   // writes the 101, swaps http-decoder/http-encoder for frame codecs
 *     channel.pipeline().addLast(...);          // frames → <open/>, stanzas → the transport-neutral session
 *     channel.config().setAutoRead(true);
 * })
 * }</pre>
 * BOSH (XEP-0206) needs no upgrade: it is a buffered {@code POST /http-bind} route whose handler
 * may wait (a held request) on its virtual thread, watching {@link Request#disconnected()}.
 */
@FunctionalInterface
public interface ProtocolUpgrade {

    /**
     * @param channel the connection, on whose event loop this runs
     * @param request the upgrade request's line and headers (its body is empty; the server refuses
     *        an upgrade of a request that carries one)
     */
    void takeOver(Channel channel, FullHttpRequest request);
}
