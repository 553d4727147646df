/**
 * Netty listeners and pipelines for client connections: port 5222 with STARTTLS (RFC 6120 §5)
 * and port 5223 with direct TLS (XEP-0368 1.1). The pipeline is
 * {@code sid → [TLS] → send-timeout → idle → XmlStreamDecoder → XmlEncoder → C2sHandler}, and a
 * {@link org.parley.net.TcpConnection} is what the session writes to: it renders the
 * {@code <stream:stream>} framing, batches flushes, installs TLS for STARTTLS and resets the
 * parser on a stream restart. Transports know no feature.
 */
package org.parley.net;
