package org.parley.route;

/**
 * The fixed points at which features see a stanza, in routing order. Within a phase, hooks run
 * in the {@link Stage} each declares, and by name within a stage; never in the order modules
 * happen to be listed, and there are no numeric priorities.
 */
public enum Phase {
    /** From a local client, 'from' stamped, before addressing: blocking, sent carbons, presence broadcast. */
    OUTBOUND,
    /**
     * Addressed to an existing local account or to the server, before delivery: subscriptions,
     * probes, archive. Not for service domains or components: they apply their own rules.
     */
    INBOUND,
    /** About to be handed to one session: client state indication, per-session filters. */
    DELIVER,
    /** A message to an existing account that no session could take: offline storage. */
    UNDELIVERED
}
