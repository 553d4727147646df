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

    /** The presence as a stanza, or null while unavailable. */
    Stanza presence() {
        return presenceXml.isEmpty() ? null : Stanza.of(XmlStrings.parse(presenceXml));
    }
}
