/**
 * XEP-0198 Stream Management, version 1.6 (namespace {@code urn:xmpp:sm:3}): acknowledgements
 * both ways, and resumption of a session whose connection dropped, within a configured window,
 * with the unacknowledged stanzas sent again. A session nobody resumes ends normally and its
 * unacknowledged stanzas are handled as undeliverable (messages to offline storage or other
 * resources, IQs answered with an error), never dropped.
 *
 * <p>An acknowledgement {@code <a h/>} counts a client stanza only once its routing returned, so
 * what was acknowledged is stored or handed on. Resumption state lives on the node that holds the
 * session; a resumption sent to another cluster node fails with {@code item-not-found}.
 *
 * <p>Limits: an ack request unanswered for sm.ackTimeout marks the connection dead (it is dropped,
 * the session kept for resumption); past sm.maxUnacked a client that acknowledges nothing new for
 * sm.requestAckInterval is cut off, and past sm.maxQueued any is.
 */
package org.parley.feature.sm;
