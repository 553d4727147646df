/**
 * XEP-0198 Stream Management, version 1.6 (namespace {@code urn:xmpp:sm:3}): acknowledgements
 * both ways, and resumption of a session whose connection dropped, within a configured window,
 * with the unacknowledged stanzas sent again. A session nobody resumes ends normally and its
 * unacknowledged stanzas are handled as undeliverable (messages to offline storage or other
 * resources, IQs answered with an error), never dropped.
 *
 * <p>An acknowledgement {@code <a h/>} counts a client stanza only once its routing returned, so
 * what was acknowledged is stored or handed on. In a cluster, a resumable session also leaves its
 * id, counts and a log of what it sent where any node finds them ({@link SmLog}), and a client whose
 * node died or stopped resumes it on another node, getting what it had not acknowledged (see
 * docs/cluster.md, "Stream management on any node").
 *
 * <p>Limits: an ack request unanswered for sm.ackTimeout marks the connection dead (it is dropped,
 * the session kept for resumption); past sm.maxUnacked a client that acknowledges nothing new for
 * sm.requestAckInterval is cut off, and past sm.maxQueued any is.
 */
package org.parley.feature.sm;
