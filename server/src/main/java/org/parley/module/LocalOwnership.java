package org.parley.module;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.xmpp.Stanza;

/**
 * {@link Ownership} of one node: it owns every entity. {@link Ownership.Owner#acquired} runs
 * once per entity, at its first stanza (or the first after a release), under a striped lock so
 * concurrent first stanzas wait for it.
 */
public final class LocalOwnership implements Ownership {
    private final Set<String> kinds = ConcurrentHashMap.newKeySet();

    @Override
    public Entities open(String kind, Owner owner) {
        if (!kinds.add(Ownership.checkKind(kind))) {
            throw new IllegalStateException("entity kind " + kind + " is open already");
        }
        return new Local(owner);
    }

    private static final class Local implements Entities {
        private final Owner owner;
        private final Set<String> acquired = ConcurrentHashMap.newKeySet();
        private final LocalUserLocks locks = new LocalUserLocks();

        Local(Owner owner) {
            this.owner = owner;
        }

        @Override
        public void route(String entity, Stanza stanza) {
            if (!acquired.contains(entity)) {
                locks.withLock(entity, () -> {
                    if (!acquired.contains(entity)) {
                        owner.acquired(entity);
                        acquired.add(entity);
                    }
                });
            }
            owner.receive(entity, stanza);
        }

        @Override
        public boolean owns(String entity) {
            return true;
        }

        @Override
        public void release(String entity) {
            acquired.remove(entity);
        }
    }
}
