/**
 * XEP-0280 Message Carbons 1.0.1 ({@code urn:xmpp:carbons:2}): enable and disable per session,
 * forwarded copies (XEP-0297) of sent and received messages to the user's other resources that
 * enabled carbons, the {@code <private/>} opt-out and the XEP-0334 {@code <no-copy/>} hint.
 *
 * <p>Copies are decided where the original is routed and offered to every other resource
 * through the router; the node holding each session drops them at delivery unless that session
 * enabled carbons, since only that node knows. A message between two accounts of this server is
 * copied, both ways, in the INBOUND phase after the archive stamped it, so each copy carries
 * the XEP-0359 stanza-id of its owner's archive (XEP-0313 §3.5), as the original does for the
 * recipient; clients use it to match copies against history. A message that leaves the
 * server's accounts (to another domain) is copied as the sender sends it: no archive keeps it.
 */
package org.parley.feature.carbons;
