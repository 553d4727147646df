/**
 * XEP-0191 Blocking Command 1.3 ({@code urn:xmpp:blocking}): the block list (get, block,
 * unblock, unblock all) with pushes to the user's resources that requested it, and its
 * enforcement in both directions: stanzas from a blocked JID are bounced (messages, IQs) or
 * dropped (presence), stanzas to one are refused with {@code <not-acceptable/>} and
 * {@code <blocked xmlns='urn:xmpp:blocking:errors'/>}. JIDs match as XEP-0016 says (full, bare,
 * domain/resource, domain and its subdomains).
 *
 * <p>Every routed stanza consults the lists of its sender and recipient, so each node caches
 * them; a change is announced through the server's invalidation channel, which in a cluster
 * reaches the other nodes too.
 *
 * <p>Storage: {@link BlockingStore}, implemented by {@link SqlBlockingStore} on the server's
 * database. Its tables came with the core's first migrations; a change to them is a migration of
 * this feature's own, under {@code db/blocking/<dialect>}.
 */
package org.parley.feature.blocking;
