package org.parley.session;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * Where an {@linkplain SessionListener#adopted adopted} session comes from, and what its client
 * already has: listeners that hand it messages from storage (offline storage, the archive) ask
 * {@link #firstTime} first, so a message reaches it once whichever path had it.
 *
 * @param previous     the session as its old node left it in the directory, with what it shared
 * @param inDoubtSince from when stanzas for it may have died with its node on their way (its node
 *                     died), or null when nothing is in doubt (its node handed it over cleanly)
 */
public record Adoption(Session previous, Instant inDoubtSince, Set<String> known) {

    /**
     * @param known the XEP-0359 stanza-ids (as the user's archive assigned them) of the messages the
     *              client has, or was sent again on resumption
     */
    public static Adoption of(Session previous, Instant inDoubtSince, Collection<String> known) {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        ids.addAll(known);
        return new Adoption(previous, inDoubtSince, ids);
    }

    /**
     * Whether the message with stanza-id {@code id} is new to the client, recording it as had:
     * true once per id. A message without an id (null) is always new.
     */
    public boolean firstTime(String id) {
        return id == null || known.add(id);
    }

    /** The same for a message carrying its stanza-id by {@code by} (the user's bare JID). */
    public boolean firstTime(String by, Element message) {
        for (Element c : message.elements("stanza-id", Namespaces.STANZA_ID)) {
            if (by.equals(c.attr("by"))) {
                return firstTime(c.attr("id"));
            }
        }
        return true;
    }
}
