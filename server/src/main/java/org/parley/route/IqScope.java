package org.parley.route;

/** Which address an IQ handler answers for. */
public enum IqScope {
    /** Sent on a stream that has not authenticated yet (in-band registration). */
    PRE_AUTH,
    /** Addressed to the server's domain. */
    SERVER,
    /** Addressed to an account's bare JID, or without 'to' on behalf of the sender's own account. */
    ACCOUNT,
    /**
     * Addressed to the bare JID of a local account that does not exist. Without a handler here the
     * answer is {@code service-unavailable}; a handler answers what must look the same whether or
     * not the account exists (XEP-0030 §8: disco#items is an empty result), so it reveals nothing.
     */
    NO_ACCOUNT,
    /**
     * Addressed to a service domain a module hosts (the domain itself, e.g. a group chat service's
     * {@code conference.example.org}). A handler registered for one domain comes first; one
     * registered for every service domain (service discovery, answering from each service's
     * declarations) answers what that one does not take.
     */
    SERVICE,
    /** Addressed to a JID at a service domain: a bare JID (a room) or a full JID (an occupant). */
    SERVICE_JID
}
