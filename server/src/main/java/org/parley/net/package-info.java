/**
 * Netty listeners and pipelines for client connections, and the web transports: port 5222 with
 * STARTTLS (RFC 6120 §5) and port 5223 with direct TLS (XEP-0368 1.1), whose pipeline is
 * {@code guard → [TLS] → idle → shaper → XmlStreamDecoder → XmlEncoder → C2sHandler}
 * with a {@link org.parley.net.TcpConnection} the session writes to; XMPP over WebSocket (RFC 7395)
 * at {@code /xmpp-websocket} ({@link org.parley.net.WebSocketEndpoint}); XMPP over BOSH (XEP-0124
 * 1.11, XEP-0206 1.4) at {@code /http-bind} ({@link org.parley.net.BoshEndpoint}); and XEP-0156
 * (1.4.0) connection discovery ({@link org.parley.net.HostMeta}). Every transport hands a
 * {@link org.parley.c2s.C2sSession} the same stream items; transports know no feature.
 */
package org.parley.net;
