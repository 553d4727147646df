/**
 * Presence (RFC 6121 §4): initial and subsequent presence broadcast to subscribers and to the
 * user's own resources, probes sent and answered, directed presence, and unavailable presence
 * when a resource logs out or its connection is lost.
 */
package org.parley.feature.presence;
