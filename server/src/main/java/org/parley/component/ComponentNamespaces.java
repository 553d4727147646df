package org.parley.component;

import java.util.ArrayList;
import java.util.List;
import org.parley.xml.Element;
import org.parley.xml.Node;

/**
 * Moves a stanza between the component stream's namespace and {@code jabber:client}, the one the
 * router speaks. Only elements in the source namespace are renamed, and only those reached through
 * such elements: a {@code <body/>} follows its message, while a message forwarded inside an
 * extension (carbons, MAM) keeps the namespace it was written in.
 */
final class ComponentNamespaces {
    static final String ACCEPT = "jabber:component:accept";

    private ComponentNamespaces() {
    }

    static Element convert(Element e, String from, String to) {
        if (!e.namespace().equals(from)) {
            return e;
        }
        List<Node> children = e.children();
        List<Node> converted = null;
        for (int i = 0; i < children.size(); i++) {
            Node n = children.get(i);
            Node c = n instanceof Element child ? convert(child, from, to) : n;
            if (c != n && converted == null) {
                converted = new ArrayList<>(children.subList(0, i));
            }
            if (converted != null) {
                converted.add(c);
            }
        }
        Element renamed = e.withNamespace(to);
        return converted == null ? renamed : renamed.withChildren(converted);
    }
}
