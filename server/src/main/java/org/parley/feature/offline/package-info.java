/**
 * Offline messages (XEP-0160 1.0.1, with XEP-0203 delay stamps): chat and normal messages for
 * a user with no available resource are stored durably, capped per user, and delivered in
 * order at the user's next initial presence.
 */
package org.parley.feature.offline;
