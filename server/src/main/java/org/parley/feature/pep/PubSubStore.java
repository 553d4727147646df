package org.parley.feature.pep;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Publish-subscribe nodes owned by accounts (XEP-0060 as used by XEP-0163 PEP): each node has a
 * configuration (field name to value, as in the node configuration form), items in publication
 * order and affiliations. Everything cascades from the owner's account.
 */
public interface PubSubStore {

    /** An item: its id, its payload as XML text and its place in publication order (higher is newer). */
    record Item(String id, String payload, long seq) {
    }

    /** A node with its configuration and newest item (null when it has none). */
    record NodeState(String node, Map<String, String> config, Item last) {
    }

    /** What {@link #createNode} did. */
    enum Created { CREATED, EXISTS, LIMIT_REACHED }

    /** The node's configuration, or empty when it does not exist. */
    Optional<Map<String, String>> config(String owner, String node);

    /** The owner's node names, in name order. */
    List<String> nodes(String owner);

    /** Every node of the owner with its configuration and newest item, in one read. */
    List<NodeState> nodeStates(String owner);

    /**
     * The nodes with these names of each of these owners, with configuration and newest item,
     * keyed by owner (owners without such nodes are absent): one read for a whole roster.
     */
    Map<String, List<NodeState>> nodeStates(Collection<String> owners, Collection<String> nodes);

    /** Creates a node unless it exists or the owner already has {@code maxNodes} nodes. */
    Created createNode(String owner, String node, Map<String, String> config, int maxNodes);

    /** Replaces a node's configuration and trims its items to {@code maxItems}; false when the node does not exist. */
    boolean configure(String owner, String node, Map<String, String> config, int maxItems);

    /** Removes a node with its items and affiliations; false when it did not exist. */
    boolean deleteNode(String owner, String node);

    /**
     * Stores an item as the node's newest (replacing one with the same id), then keeps only the
     * {@code maxItems} newest; {@code maxItems} 0 stores nothing and empties the node. False
     * when the node does not exist.
     */
    boolean publish(String owner, String node, String itemId, String payload, int maxItems);

    /** Removes one item; false when it was not there. */
    boolean retract(String owner, String node, String itemId);

    /** Removes all items of a node; false when the node does not exist. */
    boolean purge(String owner, String node);

    /** The {@code max} newest items, oldest first. */
    List<Item> items(String owner, String node, int max);

    /** The items with these ids that exist, oldest first. */
    List<Item> items(String owner, String node, Collection<String> ids);

    /** Bare JID to affiliation ("owner" is implicit and not stored). */
    Map<String, String> affiliations(String owner, String node);

    /** Sets an affiliation; "none" removes it. False when the node does not exist. */
    boolean affiliate(String owner, String node, String jid, String affiliation);
}
