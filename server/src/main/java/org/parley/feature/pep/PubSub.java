package org.parley.feature.pep;

import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** Namespaces of XEP-0060 and its errors (§7, §12 application-specific conditions). */
final class PubSub {
    static final String NAMESPACE = Namespaces.PUBSUB;
    static final String OWNER = NAMESPACE + "#owner";
    static final String EVENT = NAMESPACE + "#event";
    static final String ERRORS = NAMESPACE + "#errors";
    static final String PUBLISH_OPTIONS = NAMESPACE + "#publish-options";
    static final String NODE_CONFIG = NAMESPACE + "#node_config";
    static final String NOTIFY = "+notify";

    private PubSub() {
    }

    /** A stanza error with a pubsub#errors condition such as {@code precondition-not-met}. */
    static StanzaErrorException error(Condition condition, String pubsubCondition, String text) {
        return new StanzaErrorException(StanzaError.of(condition, text)
                .withApplication(Element.empty(pubsubCondition, ERRORS)));
    }

    /** {@code feature-not-implemented} with {@code <unsupported feature='...'/>} (§7.1.3.1 and others). */
    static StanzaErrorException unsupported(String feature) {
        return new StanzaErrorException(StanzaError.of(Condition.FEATURE_NOT_IMPLEMENTED)
                .withApplication(Element.builder("unsupported", ERRORS).attr("feature", feature).build()));
    }

    /** The {@code <event/>} wrapper of a notification (§7.1.2.1). */
    static Element event(Element child) {
        return Element.builder("event", EVENT).child(child).build();
    }
}
