package org.parley.xmpp.forward;

import java.util.Set;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.delay.Delay;

/**
 * {@code <forwarded xmlns='urn:xmpp:forward:0'>[<delay/>]<message xmlns='jabber:client'/></forwarded>}
 * (XEP-0297 §3): a stanza, kept whole in its own namespace (§3.2 rule 3), and optionally when the
 * forwarding entity received it.
 *
 * @param delay  null when the forward carries no time
 * @param stanza the forwarded message, presence or iq
 */
public record Forwarded(Delay delay, Element stanza) {
    public static final String NAMESPACE = "urn:xmpp:forward:0";
    public static final String ELEMENT = "forwarded";
    private static final Set<String> STANZAS = Set.of("message", "presence", "iq");

    public Forwarded {
        if (stanza == null || !isStanza(stanza)) {
            throw new IllegalArgumentException("only a stanza is forwarded: " + stanza);
        }
    }

    public Forwarded(Element stanza) {
        this(null, stanza);
    }

    /** Parses a {@code <forwarded/>}; one without a stanza, or with a bad delay, is a {@code bad-request}. */
    public static Forwarded from(Element e) {
        if (!e.is(ELEMENT, NAMESPACE)) {
            throw bad("not a forwarded stanza");
        }
        Element stanza = null;
        for (Element c : e.elements()) {
            if (isStanza(c)) {
                if (stanza != null) {
                    throw bad("a forward carries one stanza");
                }
                stanza = c;
            }
        }
        if (stanza == null) {
            throw bad("a forward carries a stanza");
        }
        Element delay = e.element(Delay.ELEMENT, Delay.NAMESPACE);
        return new Forwarded(delay == null ? null : Delay.from(delay), stanza);
    }

    /** The forward directly inside {@code parent} (a carbon's {@code <sent/>}, a MAM {@code <result/>}), or null. */
    public static Forwarded in(Element parent) {
        Element e = parent.element(ELEMENT, NAMESPACE);
        return e == null ? null : from(e);
    }

    public Element toElement() {
        return Element.builder(ELEMENT, NAMESPACE)
                .child(delay == null ? null : delay.toElement())
                .child(stanza)
                .build();
    }

    private static boolean isStanza(Element e) {
        return STANZAS.contains(e.name())
                && (e.namespace().equals(Namespaces.CLIENT) || e.namespace().equals(Namespaces.SERVER));
    }

    private static StanzaErrorException bad(String text) {
        return new StanzaErrorException(Condition.BAD_REQUEST, text);
    }
}
