package org.parley.route;

/** Which address an IQ handler answers for. */
public enum IqScope {
    /** Sent on a stream that has not authenticated yet (in-band registration). */
    PRE_AUTH,
    /** Addressed to the server's domain. */
    SERVER,
    /** Addressed to an account's bare JID, or without 'to' on behalf of the sender's own account. */
    ACCOUNT
}
