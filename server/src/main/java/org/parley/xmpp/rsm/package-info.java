/**
 * Result set management: XEP-0059 "Result Set Management" 1.1
 * ({@code http://jabber.org/protocol/rsm}), the {@code <set/>} a request pages with and a
 * response describes its page with. Used by MAM (XEP-0313) for its archive pages.
 */
package org.parley.xmpp.rsm;
