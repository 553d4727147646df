/**
 * XEP-0115 Entity Capabilities 1.6: reads the {@code <c/>} of clients' presence, resolves an
 * unknown verification string once with a disco#info query to the client, verifies it (§5,
 * extended forms included) and keeps verified ver → features in the store, so every module and
 * every cluster node can ask which features a full JID has (e.g. XEP-0163 {@code +notify}). The
 * server announces its own capabilities as a stream feature after authentication (§6.3,
 * {@link ServerCaps}).
 *
 * <p>Storage: {@link CapsStore}, implemented by {@link SqlCapsStore} on the server's database. Its
 * tables came with the core's first migrations; a change to them is a migration of this feature's
 * own, under {@code db/caps/<dialect>}.
 */
package org.parley.feature.caps;
