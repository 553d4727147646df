/**
 * XEP-0012 Last Activity 2.0 ({@code jabber:iq:last}) as the server answers it: for a user's bare
 * JID, the seconds since the user's last logout and the status of that unavailable presence
 * (0 while a resource is available), to the user and to contacts with a presence subscription
 * only (§3, §8); for the server's domain, its uptime (§5). Queries to a full JID go to the client.
 *
 * <p>Storage: {@link LastActivityStore}, implemented by {@link SqlLastActivityStore} on the
 * server's database. Its tables came with the core's first migrations; a change to them is a
 * migration of this feature's own, under {@code db/last/<dialect>}.
 */
package org.parley.feature.last;
