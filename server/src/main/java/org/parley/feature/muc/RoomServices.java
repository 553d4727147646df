package org.parley.feature.muc;

import org.parley.feature.mam.ServiceArchives;

/**
 * What every room of the service shares beyond its own state: where rooms archive their messages
 * (XEP-0313) and the members' push notifications (XEP-0357, {@link RoomPush}).
 */
record RoomServices(ServiceArchives archives, RoomPush push) {
}
