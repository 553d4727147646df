/**
 * Netty listeners and pipelines for client connections: port 5222 with STARTTLS (RFC 6120 §5)
 * and port 5223 with direct TLS (XEP-0368 1.1). The pipeline is
 * {@code [TLS] → idle → XmlStreamDecoder → XmlEncoder → C2sHandler}; transports know no feature.
 */
package org.parley.net;
