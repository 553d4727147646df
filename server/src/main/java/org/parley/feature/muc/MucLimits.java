package org.parley.feature.muc;

/**
 * The service's limits, from its options.
 *
 * @param maxUsers        the most occupants a room may be configured for, and a new room's default
 * @param historyKept     messages each room keeps for history on join
 * @param maxMessageChars the longest message body an occupant may send
 * @param roomsPerUser    rooms one user may have made that still exist (the stored ones counted from the store)
 * @param maxJoinPresences the most presences of others a joining moderator is sent; a room of more
 *                         occupants is large: its participants' and visitors' presences go to its moderators
 *                         only, and a participant or visitor joining it is sent the moderators' only
 */
record MucLimits(int maxUsers, int historyKept, int maxMessageChars, int roomsPerUser, int maxJoinPresences) {
}
