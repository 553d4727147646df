/**
 * Push notifications, XEP-0357 (version 0.4.1): clients register app servers with
 * {@code <enable/>}/{@code <disable/>}, and a message for a user whom no session would show it to
 * (offline, or every session detached awaiting resumption) is summarised to each registered app
 * server as a pubsub publish, throttled per registration. When a session becomes detached, the
 * messages it had been sent without acknowledging them (its XEP-0198 queue, seen through
 * {@link org.parley.session.SessionListener#detached}) get one publish counting them: the device
 * may never have received them, and nothing new arrives to trigger one. Missed messages are
 * counted per user while the user's notice waits its turn, so a flood to an offline user queues
 * one notice (and one read of the registrations), not one per message.
 *
 * <p>Storage: {@link PushStore}, implemented by {@link SqlPushStore} on the server's database. Its
 * tables came with the core's first migrations; a change to them is a migration of this feature's
 * own, under {@code db/push/<dialect>}.
 */
package org.parley.feature.push;
