/**
 * TLS for client connections: server contexts for STARTTLS (RFC 6120 §5) and direct TLS
 * (XEP-0368 v1.1.0), following RFC 7590 (TLS in XMPP) and RFC 8996 (no TLS 1.0/1.1), with a
 * self-signed certificate whose identifiers follow RFC 6125 when the operator provides none.
 */
package org.parley.net.tls;
