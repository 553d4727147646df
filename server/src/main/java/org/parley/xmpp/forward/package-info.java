/**
 * Stanza forwarding: XEP-0297 "Stanza Forwarding" 1.0 ({@code urn:xmpp:forward:0}), the
 * envelope in which message carbons (XEP-0280) and archive results (XEP-0313) carry a stanza,
 * with the XEP-0203 delay that says when it was first seen.
 */
package org.parley.xmpp.forward;
