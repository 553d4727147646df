package org.parley.feature.privatexml;

import java.util.List;
import org.parley.xml.Element;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * The {@code <query xmlns='jabber:iq:private'/>} element (XEP-0049 §2): the fragments it carries,
 * each an element in a namespace of its own.
 */
public record PrivateQuery(List<Element> fragments) {
    public static final String NAMESPACE = "jabber:iq:private";
    public static final String ELEMENT = "query";

    public PrivateQuery {
        fragments = List.copyOf(fragments);
    }

    /**
     * Reads a query; a query without a fragment is {@code not-acceptable} (§2.3), as is a fragment in
     * a reserved namespace ({@code jabber:*}, {@code http://jabber.org/*}, {@code vcard-temp},
     * §2.3: optional, and done here so that no client takes private storage for the real protocol).
     */
    public static PrivateQuery from(Element query) {
        if (!query.is(ELEMENT, NAMESPACE)) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "not a jabber:iq:private query");
        }
        List<Element> fragments = query.elements();
        if (fragments.isEmpty()) {
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, "the query names no element");
        }
        for (Element f : fragments) {
            if (reserved(f.namespace())) {
                throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, "the namespace " + f.namespace() + " is reserved");
            }
        }
        return new PrivateQuery(fragments);
    }

    /** §2.3: the namespaces a client may not keep private data in. */
    static boolean reserved(String namespace) {
        return namespace == null || namespace.isEmpty() || NAMESPACE.equals(namespace)
                || namespace.startsWith("jabber:") || namespace.startsWith("http://jabber.org/")
                || "vcard-temp".equals(namespace);
    }

    public Element toElement() {
        return Element.builder(ELEMENT, NAMESPACE).children(fragments).build();
    }
}
