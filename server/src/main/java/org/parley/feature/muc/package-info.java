/**
 * Multi-User Chat, XEP-0045 (version 1.35): group chat rooms at the service's own domain
 * ({@code conference.<domain>}, through {@link org.parley.module.ServiceDomain}). A room is made
 * of small parts: its {@link org.parley.feature.muc.RoomConfig} (immutable, with the
 * {@code muc#roomconfig} form), its affiliations, its occupants (one nickname may hold several
 * sessions of one user), its history, and the room itself applying the XEP's rules, one stanza
 * at a time under the room's own lock. Groupchat messages carry the room's XEP-0359 stanza-id;
 * XEP-0410 (version 1.1.0) self-pings are answered; presences and messages carry XEP-0421
 * (version 1.0.1) occupant ids.
 */
package org.parley.feature.muc;
