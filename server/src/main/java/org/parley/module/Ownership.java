package org.parley.module;

import org.parley.xmpp.Stanza;

/**
 * One owner per named entity: the node that holds an entity's live state (a group chat room's
 * occupants and history cache) and handles every stanza for it, whichever node the stanza was
 * routed on. Beside {@link UserLocks}, which serialises short updates of a user's stored state,
 * this places long-lived state. On one node ({@link LocalOwnership}) the node owns everything;
 * in a cluster a claim in Redis names the owner and stanzas travel to it over the node bus.
 *
 * <p>Guarantees, in a cluster as on one node:
 * <ul>
 *   <li>At most one node acts as an entity's owner at any time. A claim holds as long as its
 *       node's liveness key exists; a node acts as owner only while its own lease lasts (from
 *       just before its last successful liveness renewal, for the node TTL), which ends no later
 *       than its key can expire, so another node takes over only after the old owner stopped.</li>
 *   <li>Placement is by first use: the first node that routes a stanza for an entity nobody
 *       owns claims it.</li>
 *   <li>{@link Owner#acquired} runs on a node before any stanza for the entity is handed to it
 *       there, each time the node becomes the owner: at the first claim, at a takeover, and
 *       again after it lost the entity. The module loads the entity's state there, from the
 *       shared database, never from what it may still remember.</li>
 *   <li>{@link Entities#route} from any node hands the stanza to the owner's
 *       {@link Owner#receive}: at once on the owner itself, else over the node bus, which keeps
 *       the order of stanzas routed one after another and hands those of one entity over one at
 *       a time. Stanzas routed concurrently from different senders may reach {@code receive}
 *       concurrently; the module serialises what it must.</li>
 *   <li>Failover is lazy: a dead owner's entity is taken over by the node that routes the next
 *       stanza for it. After a clean stop (the node removes its liveness key as it stops) that
 *       is the next stanza; after a crash, once the dead node's liveness key expired, at most
 *       {@code cluster.nodeTtl} after its last renewal. Meanwhile, and whenever the owner
 *       cannot be found (Redis unreachable), the stanza is answered with
 *       {@code recipient-unavailable} (RFC 6120 §8.3.3.13, type wait: try again later).</li>
 *   <li>An owner whose lease runs out (Redis unreachable for the node TTL) drops its entities,
 *       calling {@link Owner#lost} for each; it may claim them again once Redis is back.</li>
 * </ul>
 */
public interface Ownership {

    /**
     * Opens a kind of entity; call from {@link Module#start}.
     *
     * @param kind  names the kind, unique per server (e.g. "muc"): letters, digits, '.', '_', '-'
     * @param owner what the node does as an owner of entities of this kind
     */
    Entities open(String kind, Owner owner);

    /** A module's side of ownership. Callbacks may block (they run on virtual threads). */
    interface Owner {
        /** This node now owns {@code entity}: load its state. Runs before any {@link #receive} of it here. */
        void acquired(String entity);

        /** A stanza for an entity this node owns. */
        void receive(String entity, Stanza stanza);

        /** This node no longer owns {@code entity} (its lease ran out): forget its live state. */
        default void lost(String entity) {
        }
    }

    /** The entities of one kind. */
    interface Entities {
        /** Hands {@code stanza} to the owner of {@code entity}, claiming it first when nobody owns it. */
        void route(String entity, Stanza stanza);

        /** Whether this node owns {@code entity} now. */
        boolean owns(String entity);

        /**
         * Gives {@code entity} up (a destroyed room); the next stanza routed for it, on any node,
         * claims it again. Only the owner's release counts.
         */
        void release(String entity);
    }

    /** Checks a kind's name: it is part of Redis keys and bus frames. */
    static String checkKind(String kind) {
        if (kind == null || !kind.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("an entity kind is letters, digits, '.', '_' or '-': " + kind);
        }
        return kind;
    }
}
