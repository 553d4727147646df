package org.parley.feature.muc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.xmpp.Jid;

/**
 * A room's affiliation list (XEP-0045 §5.2): bare JIDs of owners, admins, members and outcasts,
 * and the nicknames some of them reserved (§7.10: registration; §9.5: an admin names one).
 * Everyone else is {@link Affiliation#NONE}. Read and changed only under the room's lock.
 */
final class Affiliations {
    private final Map<Jid, Affiliation> byJid = new LinkedHashMap<>();
    private final Map<Jid, String> nicks = new LinkedHashMap<>();
    private boolean changed;

    /** The affiliation of {@code user} (any JID; its bare JID counts). */
    Affiliation of(Jid user) {
        return byJid.getOrDefault(user.bare(), Affiliation.NONE);
    }

    /** Sets the affiliation of {@code user}'s bare JID; {@link Affiliation#NONE} removes it. */
    void set(Jid user, Affiliation affiliation) {
        changed = true;
        if (affiliation == Affiliation.NONE) {
            byJid.remove(user.bare());
        } else {
            byJid.put(user.bare(), affiliation);
        }
        if (!affiliation.atLeast(Affiliation.MEMBER)) {
            // A reservation belongs to an affiliated user; it goes with the affiliation.
            nicks.remove(user.bare());
        }
    }

    /** The nickname {@code user} reserved, or null. */
    String nick(Jid user) {
        return nicks.get(user.bare());
    }

    /** The bare JID that reserved {@code nick}, or null. */
    Jid holder(String nick) {
        for (Map.Entry<Jid, String> e : nicks.entrySet()) {
            if (e.getValue().equals(nick)) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Reserves {@code nick} for {@code user}; null frees what it reserved. */
    void reserve(Jid user, String nick) {
        changed = true;
        if (nick == null) {
            nicks.remove(user.bare());
        } else {
            nicks.put(user.bare(), nick);
        }
    }

    /** Every reservation, for storage. */
    Map<Jid, String> nicks() {
        return Map.copyOf(nicks);
    }

    /** The bare JIDs with {@code affiliation}, in the order they got it. */
    List<Jid> with(Affiliation affiliation) {
        return byJid.entrySet().stream().filter(e -> e.getValue() == affiliation).map(Map.Entry::getKey).toList();
    }

    /** Whether the list changed since the last call. */
    boolean takeChanged() {
        boolean was = changed;
        changed = false;
        return was;
    }

    /** Every entry, for storage. */
    Map<Jid, Affiliation> all() {
        return Map.copyOf(byJid);
    }
}
