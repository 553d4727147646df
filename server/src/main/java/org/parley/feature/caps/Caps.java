package org.parley.feature.caps;

import org.parley.xml.Element;
import org.parley.xmpp.Stanza;

/**
 * The {@code <c xmlns='http://jabber.org/protocol/caps'/>} of a presence (XEP-0115 §4). Legacy
 * announcements without a 'hash' cannot be verified and are not read.
 */
public record Caps(String hash, String node, String ver) {
    public static final String NAMESPACE = "http://jabber.org/protocol/caps";
    public static final String ELEMENT = "c";

    /** The caps of an available presence, or null when it has none (or only the legacy form). */
    public static Caps from(Stanza presence) {
        if (presence == null) {
            return null;
        }
        Element c = presence.element().element(ELEMENT, NAMESPACE);
        if (c == null) {
            return null;
        }
        String hash = c.attr("hash");
        String node = c.attr("node");
        String ver = c.attr("ver");
        if (hash == null || node == null || ver == null || ver.isEmpty()) {
            return null;
        }
        return new Caps(hash, node, ver);
    }

    public Element toElement() {
        return Element.builder(ELEMENT, NAMESPACE).attr("hash", hash).attr("node", node).attr("ver", ver).build();
    }
}
