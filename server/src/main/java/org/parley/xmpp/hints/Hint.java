package org.parley.xmpp.hints;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.parley.xml.Element;
import org.parley.xml.Node;

/** One XEP-0334 hint (§4), an empty element in {@code urn:xmpp:hints}. */
public enum Hint {
    /** §4.1: not to be archived (MAM), though it may be stored for offline delivery. */
    NO_PERMANENT_STORE,
    /** §4.2: not to be stored at all, neither archived nor kept for an offline recipient. */
    NO_STORE,
    /** §4.3: not to be copied to the recipient's other resources (carbons). */
    NO_COPY,
    /** §4.4: to be stored although it would not be otherwise (no body). */
    STORE;

    public static final String NAMESPACE = "urn:xmpp:hints";

    private final String element = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The element name, e.g. {@code no-store}. */
    public String element() {
        return element;
    }

    /** The hint {@code e} is, or null when it is none (an element of the namespace this server does not know). */
    public static Hint from(Element e) {
        if (!e.namespace().equals(NAMESPACE)) {
            return null;
        }
        for (Hint h : values()) {
            if (h.element.equals(e.name())) {
                return h;
            }
        }
        return null;
    }

    /** The hints a message carries. */
    public static Set<Hint> in(Element message) {
        Set<Hint> hints = EnumSet.noneOf(Hint.class);
        for (Node n : message.children()) {
            if (n instanceof Element e) {
                Hint h = from(e);
                if (h != null) {
                    hints.add(h);
                }
            }
        }
        return hints;
    }

    /** Whether {@code message} carries this hint. */
    public boolean isIn(Element message) {
        return message.element(element, NAMESPACE) != null;
    }

    public Element toElement() {
        return Element.empty(element, NAMESPACE);
    }
}
