/**
 * Rosters and presence subscriptions: RFC 6121 §2 (roster get, set, remove, pushes to
 * interested resources) and §3 (the subscription state machine with pending requests kept
 * across logins and pre-approval, §3.4).
 */
package org.parley.feature.roster;
