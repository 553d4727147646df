/**
 * XEP-0157 Contact Addresses for XMPP Services 1.1.1: the addresses an operator configures (abuse,
 * admin, support, ...) in the server's disco#info as a {@code http://jabber.org/network/serverinfo}
 * form (XEP-0128).
 */
package org.parley.feature.contact;
