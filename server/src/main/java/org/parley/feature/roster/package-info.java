/**
 * Rosters and presence subscriptions: RFC 6121 §2 (roster get, set, remove, pushes to
 * interested resources), §2.6 roster versioning (XEP-0237 1.3: a version per user, changes and
 * removals since a client's version sent as pushes after an empty result, the whole roster when
 * they are no longer known) and §3 (the subscription state machine with pending requests kept
 * across logins and pre-approval, §3.4).
 */
package org.parley.feature.roster;
