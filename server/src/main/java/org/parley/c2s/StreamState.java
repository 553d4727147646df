package org.parley.c2s;

/** Where a client stream is in its negotiation (RFC 6120 §4.3). */
enum StreamState {
    /** Waiting for the client's stream header (first, or after a restart). */
    AWAITING_HEADER,
    /** Header exchanged, not authenticated: STARTTLS, SASL and pre-auth IQs. */
    UNAUTHENTICATED,
    /** SASL exchange under way. */
    AUTHENTICATING,
    /** Authenticated, waiting for resource binding. */
    AUTHENTICATED,
    /** Bound: stanzas flow. */
    BOUND,
    /** Closing or closed: input is ignored. */
    CLOSED
}
