/**
 * XEP-0352 Client State Indication, version 1.0 (namespace {@code urn:xmpp:csi:0}): while a
 * client says it is inactive, presence updates and chat-state-only messages (XEP-0085) for it are
 * held, the latest presence per contact only, and sent when it becomes active again, when
 * something urgent must go out first (held stanzas keep their place before it), when the held
 * queue reaches {@code csi.maxHeld}, or when the session ends.
 */
package org.parley.feature.csi;
