/**
 * SASL authentication for client streams: RFC 6120 §6 (XMPP SASL negotiation), RFC 4422 (SASL),
 * SCRAM-SHA-1 (RFC 5802) and SCRAM-SHA-256 (RFC 7677) without channel binding, and PLAIN (RFC 4616)
 * over TLS only. Passwords are kept only as salted SCRAM keys ({@link org.parley.auth.ScramCredentials});
 * passwords are prepared with the PRECIS OpaqueString profile and usernames with UsernameCaseMapped
 * (RFC 8265, as RFC 7622 and RFC 7677 require).
 *
 * <p>The session owns the XML and base64 of {@code <auth/>}, {@code <response/>} etc.; a
 * {@link org.parley.auth.SaslMechanism} sees only decoded bytes and answers a
 * {@link org.parley.auth.SaslStep}.
 */
package org.parley.auth;
