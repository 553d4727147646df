package org.parley.feature.mam;

import java.time.Duration;
import java.util.Set;
import org.parley.module.InvalidatedCache;
import org.parley.module.Invalidations;
import org.parley.store.RosterStore;
import org.parley.xml.Element;
import org.parley.xml.Node;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.hints.Hint;

/**
 * What the archive keeps: which messages are worth it (XEP-0313 §5.1.1 leaves it to the server;
 * we keep what clients rebuild a conversation from) and, per side, what its owner's preferences
 * (XEP-0313 §6) say. Preferences are cached per user, bounded: every archived message needs two,
 * and a database read each would cost more than the insert. A change is announced over the
 * invalidation topic, so every node of a cluster drops its copy at once and the next message is
 * archived by the new preferences there too.
 */
final class ArchivePolicy {
    /** Users whose preferences each node keeps in memory. */
    static final int MAX_CACHED = 200_000;
    /** A safety net for an invalidation lost while a node was cut off from Redis. */
    private static final Duration MAX_AGE = Duration.ofMinutes(10);
    /** Besides a body: what clients expect back from history although it carries no text. */
    private static final Set<String> KEPT_NAMESPACES = Set.of(
            "urn:xmpp:receipts",               // XEP-0184 delivery receipts
            "urn:xmpp:chat-markers:0",         // XEP-0333 read markers
            "urn:xmpp:message-correct:0",      // XEP-0308 corrections
            "urn:xmpp:reactions:0",            // XEP-0444
            "urn:xmpp:message-retract:0",      // XEP-0424
            "urn:xmpp:message-retract:1",
            "eu.siacs.conversations.axolotl",  // OMEMO without a fallback body
            "urn:xmpp:omemo:2",
            "urn:xmpp:jingle-message:0");      // XEP-0353 call history

    private final ArchiveStore store;
    private final RosterStore roster;
    private final ArchivePrefs defaults;
    private final InvalidatedCache<ArchivePrefs> cache = new InvalidatedCache<>(MAX_CACHED, MAX_AGE);

    ArchivePolicy(ArchiveStore store, RosterStore roster, String defaultMode) {
        this.store = store;
        this.roster = roster;
        this.defaults = new ArchivePrefs(defaultMode, Set.of(), Set.of());
    }

    /** Opens the topic on which every node hears of changed preferences; call from the module's start. */
    void listen(Invalidations invalidations) {
        cache.listen(invalidations, "mam.prefs");
    }

    /** A message of type normal or chat worth archiving (errors, groupchat, headlines never are). */
    static boolean worthArchiving(Element message, String type) {
        if (!type.equals("chat") && !type.equals("normal")) {
            return false;
        }
        return worthKeeping(message, Set.of());
    }

    /**
     * Whether a message's content is worth keeping, whatever its type: text, or what clients
     * rebuild history from, but not what only carries one of the {@code ignored} namespaces.
     */
    static boolean worthKeeping(Element message, Set<String> ignored) {
        boolean kept = false;
        for (Node n : message.children()) {
            if (n instanceof Element e) {
                Hint hint = Hint.from(e);
                if (hint == Hint.NO_STORE || hint == Hint.NO_PERMANENT_STORE) {
                    return false; // XEP-0334 §4.1, §4.2
                }
                if (hint == Hint.STORE || e.is("body", Namespaces.CLIENT)
                        || (KEPT_NAMESPACES.contains(e.namespace()) && !ignored.contains(e.namespace()))) {
                    kept = true;
                }
            }
        }
        return kept;
    }

    /** Whether the owner's archive keeps messages exchanged with this bare JID. */
    boolean keeps(String owner, String peerBareJid) {
        ArchivePrefs p = prefs(owner);
        if (p.never().contains(peerBareJid)) {
            return false;
        }
        if (p.always().contains(peerBareJid)) {
            return true;
        }
        return switch (p.defaultMode()) {
            case "always" -> true;
            case "roster" -> roster.item(owner, peerBareJid).isPresent();
            default -> false;
        };
    }

    ArchivePrefs prefs(String owner) {
        return cache.get(owner, o -> store.prefs(o).orElse(defaults));
    }

    /** Stores the owner's new preferences and tells every node (this one included) to drop its copy. */
    void setPrefs(String owner, ArchivePrefs prefs) {
        store.setPrefs(owner, prefs);
        cache.changed(owner);
    }
}
