package org.parley.cluster;

import org.parley.xml.XmlStrings;
import org.parley.xmpp.Stanza;

/**
 * One resource in the Redis directory: the node holding it, the id of that session (so a node
 * only ever removes or updates the session it wrote) and its presence XML, empty while the
 * resource is unavailable. Stored as {@code node \n sid \n presence}; node ids and session ids
 * never contain a newline.
 */
record DirectoryEntry(String node, String sid, String presenceXml) {

    static DirectoryEntry parse(String value) {
        int a = value.indexOf('\n');
        int b = a < 0 ? -1 : value.indexOf('\n', a + 1);
        if (b < 0) {
            throw new IllegalArgumentException("not a directory entry: " + value);
        }
        return new DirectoryEntry(value.substring(0, a), value.substring(a + 1, b), value.substring(b + 1));
    }

    static DirectoryEntry of(String node, String sid, Stanza presence) {
        return new DirectoryEntry(node, sid, presence == null ? "" : presence.element().toXml());
    }

    /** What a compare-and-delete or compare-and-set matches: the value names this very session. */
    static String owner(String node, String sid) {
        return node + '\n' + sid + '\n';
    }

    String owner() {
        return owner(node, sid);
    }

    String encode() {
        return owner() + presenceXml;
    }

    /**
     * Whether its node released the session at a clean stop for its client to resume it on another
     * node: routing ignores it, {@link ClusterDirectory#adopt} takes it. Marked by a {@code !}
     * before the presence, which never starts an XML document.
     */
    boolean released() {
        return presenceXml.startsWith("!");
    }

    /**
     * The entry released until {@code untilMillis} (0 while its node is stopping and has not
     * handed the session over yet), written {@code !<until>!<presence>}.
     */
    DirectoryEntry release(long untilMillis) {
        return new DirectoryEntry(node, sid, "!" + untilMillis + "!" + presenceOnly());
    }

    /** Until when a released entry's client may resume it (wall-clock millis), 0 when not known yet. */
    long releasedUntil() {
        if (!released()) {
            return 0;
        }
        int end = presenceXml.indexOf('!', 1);
        try {
            return end < 0 ? 0 : Long.parseLong(presenceXml.substring(1, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whether a released entry waits for its client still at {@code nowMillis}. */
    boolean awaitsResumption(long nowMillis) {
        return released() && releasedUntil() > nowMillis;
    }

    private String presenceOnly() {
        if (!released()) {
            return presenceXml;
        }
        int end = presenceXml.indexOf('!', 1);
        return end < 0 ? "" : presenceXml.substring(end + 1);
    }

    /** The presence as a stanza, or null while unavailable. */
    Stanza presence() {
        String xml = presenceOnly();
        return xml.isEmpty() ? null : Stanza.of(XmlStrings.parse(xml));
    }
}
