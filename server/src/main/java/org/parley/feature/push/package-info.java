/**
 * Push notifications, XEP-0357 (version 0.4.1): clients register app servers with
 * {@code <enable/>}/{@code <disable/>}, and a message for a user whom no session would show it to
 * (offline, or every session detached awaiting resumption) is summarised to each registered app
 * server as a pubsub publish, throttled per registration.
 */
package org.parley.feature.push;
