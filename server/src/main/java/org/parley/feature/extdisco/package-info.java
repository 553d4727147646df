/**
 * XEP-0215 External Service Discovery 1.0 ({@code urn:xmpp:extdisco:2}): the server tells its
 * users which STUN and TURN servers to use for calls ({@code extdisco.services}, RFC 7064 and
 * RFC 7065 URIs), and hands out time-limited TURN credentials in the shared-secret scheme of the
 * TURN REST API that coturn implements with {@code use-auth-secret} ({@code extdisco.secret},
 * {@code extdisco.ttl}): the username is the expiry time in Unix seconds and the user's local part,
 * {@code <expiry>:<user>}, and the password the base64 of HMAC-SHA1(secret, username). The
 * services and the credentials (§3.1, §3.3) are for the server's own users only. With no service
 * configured the feature is not announced and not served.
 */
package org.parley.feature.extdisco;
