package org.parley.feature.push;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;

/**
 * The messages a notice has already covered while they waited in a detached session. When the
 * resumption window closes, XEP-0198 hands those messages to offline storage, which would notify
 * for them a second time, minutes after the first: they are remembered here for as long as a
 * window can last, and that second notice is skipped. Node-local, like the sessions it is about.
 */
final class PushedMessages {
    private final Cache<String, Boolean> pushed;

    PushedMessages(Duration keep, long maxEntries) {
        this.pushed = Caffeine.newBuilder().expireAfterWrite(keep).maximumSize(maxEntries).build();
    }

    void covered(Jid user, Stanza message) {
        pushed.put(key(user.toString(), message), Boolean.TRUE);
    }

    /** Whether a notice covered this message already; forgets it either way. */
    boolean takeCovered(Jid user, Stanza message) {
        return pushed.asMap().remove(key(user.toString(), message)) != null;
    }

    /**
     * The message as the user's server knows it: its archive id where it has one (unique), else
     * sender, id attribute and body, which a redelivered copy keeps (only its 'to' may change).
     */
    private static String key(String user, Stanza s) {
        Element e = s.element();
        for (Element c : e.elements("stanza-id", Namespaces.STANZA_ID)) {
            if (user.equals(c.attr("by"))) {
                return user + "\u0000" + c.attr("id");
            }
        }
        return user + "\u0000" + s.from() + "\u0000" + e.attr("id") + "\u0000" + e.childText("body", Namespaces.CLIENT);
    }
}
