/**
 * XEP-0133 Service Administration 1.3 over XEP-0050 ad-hoc commands ({@code feature.adhoc}):
 * add-user, delete-user, disable-user and reenable-user, change-user-password, user-stats,
 * get-registered-users-num, get-online-users-num, get-online-users-list (and get-online-users)
 * and announce (to every online resource), for the administrators named in {@code admin.jids}.
 * Anyone else neither sees the commands in disco nor may run them ({@code forbidden}). A disabled
 * account's sessions end, and one that binds later is closed at once with {@code not-authorized};
 * the disabled accounts are this feature's own table ({@code db/admin/<dialect>}), gone with the
 * account. Online users are those of this node's directory.
 */
package org.parley.feature.admin;
