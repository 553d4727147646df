package org.parley.feature.csi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.parley.xmpp.Stanza;

/**
 * The client state of one session and what is held for it. A presence replaces the held presence
 * of the same sender and moves to the end, so the client sees each contact's latest state in the
 * order those states were reached.
 */
final class Held {
    private final LinkedHashMap<Object, Stanza> stanzas = new LinkedHashMap<>();
    private boolean inactive;
    private long sequence;

    synchronized boolean inactive() {
        return inactive;
    }

    /** Sets the state; returns what was held when the client became active. */
    synchronized List<Stanza> state(boolean nowInactive) {
        inactive = nowInactive;
        return nowInactive ? List.of() : drain();
    }

    /**
     * Holds the stanza if the client is inactive; returns null when held, else what must go out
     * first (possibly empty), followed by the stanza itself when it was not held.
     */
    synchronized List<Stanza> offer(Stanza s, boolean holdable, int max) {
        if (inactive && holdable) {
            Object key = s.isPresence() && s.from() != null ? s.from() : Long.valueOf(sequence++);
            stanzas.remove(key);
            stanzas.put(key, s);
            return stanzas.size() >= max ? drain() : null;
        }
        List<Stanza> out = drain();
        out.add(s);
        return out;
    }

    synchronized List<Stanza> drain() {
        List<Stanza> out = new ArrayList<>(stanzas.values());
        stanzas.clear();
        return out;
    }
}
