package org.parley.feature.sm;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;

/**
 * What a resumable session leaves in the directory for another cluster node to continue it
 * ({@code Directory.share} and {@code Directory.log}): its resumption id and window, the count of
 * client stanzas acknowledged to the client, the count of stanzas the client acknowledged, and a
 * log of the stanzas sent to it, each as {@code seq millis stanza-id xml} (the stanza-id the
 * user's archive gave a message, {@code -} for anything else).
 */
final class SmLog {
    /** {@code <id> <window millis>}. */
    static final String SHARE = "sm";
    /** Client stanzas handled, as last acknowledged to the client. */
    static final String HANDLED = "sm.h";
    /** Server stanzas the client acknowledged. */
    static final String ACKED = "sm.a";

    record Entry(long seq, Instant queued, String stanzaId, Element stanza) {
    }

    private SmLog() {
    }

    /**
     * A new resumption id naming the resource, so that any node can find the session of the user
     * who resumes: random bytes, a dot, the resource (base64url, which has no dot).
     */
    static String newId(SecureRandom random, String resource) {
        byte[] b = new byte[18];
        random.nextBytes(b);
        Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
        return enc.encodeToString(b) + "." + enc.encodeToString(resource.getBytes(StandardCharsets.UTF_8));
    }

    /** The full JID an id names for {@code user}, or null when the id is not one of ours. */
    static Jid fullJid(String id, String user, String domain) {
        int dot = id == null ? -1 : id.indexOf('.');
        if (dot < 0 || user == null) {
            return null;
        }
        try {
            String resource = new String(Base64.getUrlDecoder().decode(id.substring(dot + 1)), StandardCharsets.UTF_8);
            return Jid.of(user, domain, resource);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String share(String id, long windowMillis) {
        return id + " " + windowMillis;
    }

    /** Whether a shared {@link #SHARE} value is that of resumption id {@code id}. */
    static boolean isOf(String shared, String id) {
        return shared != null && id != null && shared.startsWith(id + " ");
    }

    /** The window in a shared {@link #SHARE} value, in millis. */
    static long window(String shared) {
        return number(shared.substring(shared.indexOf(' ') + 1));
    }

    static long number(String v) {
        try {
            return v == null ? 0 : Math.max(0, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String encode(SmState.Pending p, String by) {
        String id = stanzaId(p.stanza(), by);
        return p.seq() + " " + p.queued().toEpochMilli() + " " + (id == null ? "-" : id) + " " + p.stanza().toXml();
    }

    /** The entries of a log, in sequence order; malformed ones are skipped. */
    static List<Entry> parse(List<String> raw) {
        List<Entry> out = new ArrayList<>(raw.size());
        for (String r : raw) {
            try {
                String[] f = r.split(" ", 4);
                out.add(new Entry(Long.parseLong(f[0]), Instant.ofEpochMilli(Long.parseLong(f[1])),
                        "-".equals(f[2]) ? null : f[2], XmlStrings.parse(f[3])));
            } catch (RuntimeException e) {
                // an entry we cannot read is one we cannot send again
            }
        }
        out.sort(Comparator.comparingLong(Entry::seq));
        return out;
    }

    /**
     * From when stanzas for an adopted session may have died with its node without reaching the
     * log: null after a clean handover; else what the directory says (the earlier of its node's
     * last liveness renewal and the session's delivery cursor, less a margin), as for the clean-up
     * after a death when nobody resumes. It used to be narrowed to the newest logged stanza less
     * 2 s ("whatever the log lacks came after it"), which holds only for what had reached the
     * session: a message on the bus or queued before the session on a loaded node may have been
     * archived earlier by any amount. The log's own stanzas are left out by stanza-id all the same
     * ({@code Adoption.firstTime}); what the window adds are acknowledged entries the log already
     * dropped (5 s older than its newest), which come again with their stanza-id.
     */
    static Instant inDoubtSince(String since) {
        return since == null ? null : Instant.ofEpochMilli(number(since));
    }

    /** The XEP-0359 stanza-id {@code by} (the user's bare JID) set on a message, or null. */
    static String stanzaId(Element stanza, String by) {
        for (Element c : stanza.elements("stanza-id", Namespaces.STANZA_ID)) {
            if (by.equals(c.attr("by"))) {
                return c.attr("id");
            }
        }
        return null;
    }
}
