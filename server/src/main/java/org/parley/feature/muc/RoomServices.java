package org.parley.feature.muc;

import org.parley.feature.mam.ServiceArchives;

/**
 * What every room of the service shares beyond its own state: where rooms archive their messages
 * (XEP-0313) and the members' push notifications (XEP-0357, {@link RoomPush}).
 *
 * @param durableFirst whether a room waits for a message to be in the archive before it sends it
 *                     out (in a cluster: a node taking the room over after a crash finds every
 *                     message an occupant saw the room send); it waits outside its lock, its
 *                     stanzas held back meanwhile in its {@link RoomOutbox}
 * @param outboxCopies the stanzas a room's outbox holds back before the room waits for it
 */
record RoomServices(ServiceArchives archives, RoomPush push, boolean durableFirst, int outboxCopies) {
}
