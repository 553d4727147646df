package org.parley.module;

import java.util.function.Consumer;

/**
 * Cache invalidation for features that cache what they read from the stores. A feature opens a
 * named topic while it starts; whoever changes the underlying data publishes the changed key,
 * and every node's handler hears it, this node's included. On one node it is a direct call; in a
 * cluster it travels over Redis, so a change made on one node is seen on all.
 */
public interface Invalidations {

    /**
     * Opens a topic; call from {@link Module#start}.
     *
     * @param name    the topic, unique per feature (e.g. its package name)
     * @param handler receives each invalidated key, or null when invalidations may have been
     *                missed (the cluster link dropped) and everything cached must go; it runs on
     *                a network thread and must not block
     */
    Topic topic(String name, Consumer<String> handler);

    /** One feature's invalidation channel. */
    interface Topic {
        /** Tells every node that the data under {@code key} changed; this node's handler runs before it returns. */
        void publish(String key);
    }
}
