package org.parley.feature.push;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;

/**
 * The messages a notice has already covered while they waited in a detached session. When the
 * resumption window closes, XEP-0198 hands those messages to offline storage, which would notify
 * for them a second time, minutes after the first: each is remembered here for as long as its
 * session's window lasts, and that second notice is skipped. Node-local, like the sessions it is
 * about.
 */
final class PushedMessages {

    /** Message key to how long it is remembered from when it was (last) covered. */
    private final Cache<String, Duration> pushed;

    PushedMessages(long maxEntries) {
        this.pushed = Caffeine.newBuilder().maximumSize(maxEntries).expireAfter(new Expiry<String, Duration>() {
            @Override
            public long expireAfterCreate(String key, Duration keep, long now) {
                return keep.toNanos();
            }

            @Override
            public long expireAfterUpdate(String key, Duration keep, long now, long left) {
                return keep.toNanos();
            }

            @Override
            public long expireAfterRead(String key, Duration keep, long now, long left) {
                return left;
            }
        }).build();
    }

    /** A notice covered {@code message}; remembered for {@code keep}. */
    void covered(Jid user, Stanza message, Duration keep) {
        pushed.put(key(user.toString(), message), keep);
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
