package org.parley.c2s;

import java.util.Set;
import org.parley.xml.Element;
import org.parley.xml.Node;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.StanzaError.Condition;

/** The syntactic rules of RFC 6120 §8 that a client's stanza must meet before it is routed. */
final class StanzaChecks {
    private static final Set<String> IQ_TYPES = Set.of("get", "set", "result", "error");
    private static final Set<String> MESSAGE_TYPES = Set.of("chat", "error", "groupchat", "headline", "normal");
    private static final Set<String> PRESENCE_TYPES = Set.of("error", "probe", "subscribe", "subscribed",
            "unavailable", "unsubscribe", "unsubscribed");

    private StanzaChecks() {
    }

    /** The error to answer with, or null when the stanza is well-formed. */
    static StanzaError check(Stanza s) {
        String type = s.type();
        return switch (s.kind()) {
            case IQ -> checkIq(s, type);
            case MESSAGE -> type == null || MESSAGE_TYPES.contains(type) ? null
                    : StanzaError.of(Condition.BAD_REQUEST, "unknown message type");
            case PRESENCE -> type == null || PRESENCE_TYPES.contains(type) ? null
                    : StanzaError.of(Condition.BAD_REQUEST, "unknown presence type");
        };
    }

    private static StanzaError checkIq(Stanza s, String type) {
        if (s.id() == null || s.id().isEmpty()) {
            return StanzaError.of(Condition.BAD_REQUEST, "an IQ needs an id");
        }
        if (type == null || !IQ_TYPES.contains(type)) {
            return StanzaError.of(Condition.BAD_REQUEST, "an IQ needs a type of get, set, result or error");
        }
        if (type.equals("get") || type.equals("set")) {
            int payloads = 0;
            for (Node n : s.element().children()) {
                if (n instanceof Element e && !e.is("error", Namespaces.CLIENT)) {
                    payloads++;
                }
            }
            if (payloads != 1) {
                return StanzaError.of(Condition.BAD_REQUEST, "an IQ get or set carries exactly one payload");
            }
        }
        return null;
    }
}
