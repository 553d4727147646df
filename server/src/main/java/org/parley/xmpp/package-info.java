/**
 * XMPP addresses and stanzas: {@link org.parley.xmpp.Jid} (RFC 7622, PRECIS via the rocks.xmpp
 * precis library), immutable {@link org.parley.xmpp.Stanza} views, stanza errors (RFC 6120 §8.3)
 * and stream errors (RFC 6120 §4.9).
 */
package org.parley.xmpp;
