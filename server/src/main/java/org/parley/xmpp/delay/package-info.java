/**
 * Delayed delivery: XEP-0203 "Delayed Delivery" 2.0 ({@code urn:xmpp:delay}), the stamp a stanza
 * carries when it is delivered later than it was sent: offline storage (XEP-0160), stanzas sent
 * again after a stream is resumed (XEP-0198 §5) and forwarded archive results (XEP-0313).
 */
package org.parley.xmpp.delay;
