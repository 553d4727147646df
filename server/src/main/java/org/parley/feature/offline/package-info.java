/**
 * Offline messages (XEP-0160 1.0.1, with XEP-0203 delay stamps): chat and normal messages for
 * a user with no available resource are stored durably, capped per user, and delivered in
 * order at the user's next initial presence.
 *
 * <p>Storage: {@link OfflineStore}, implemented by {@link SqlOfflineStore} on the server's
 * database. Its tables came with the core's first migrations; a change to them is a migration of
 * this feature's own, under {@code db/offline/<dialect>}.
 */
package org.parley.feature.offline;
