package org.parley.route;

/**
 * Where a hook runs within its {@link Phase}. Every hook declares its stage and a name; the
 * router runs a phase's hooks by stage, in this enum's order, and within a stage by name. The
 * order of the module list has no effect, so no feature depends on being registered before
 * another. Hooks of one stage must not depend on each other's effects: a hook that needs another
 * to have run belongs to a later stage. {@code docs/architecture.md} ("Hook order") tables the
 * resulting order of the standard server and the reason for each stage boundary.
 */
public enum Stage {
    /**
     * Refuses or drops what may not pass: blocking (XEP-0191), and at delivery the filters that
     * keep pushes and carbons from sessions that did not ask for them. First, so nothing later
     * copies, stores or answers a stanza that does not pass.
     */
    FILTER,
    /**
     * Consumes what a feature handles itself, or readdresses it: presence broadcast and probes,
     * subscription requests, answers from push app servers.
     */
    HANDLE,
    /**
     * Adds what the server vouches for to a stanza that goes on: the archive's stanza-id, the
     * avatar hash in presence. Before {@link #COPY}, so copies carry it.
     */
    STAMP,
    /**
     * Sends copies of, or takes note of, the stanza as stamped, without changing it: carbons,
     * push notifications, last activity.
     */
    COPY,
    /**
     * Last: takes the stanza out of the flow (offline storage, a client-state queue whose
     * stanzas skip the hooks when released), or removes what only the copies may carry. A hook
     * here must not need another to run after it.
     */
    FINAL
}
