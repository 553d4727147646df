package org.parley.xmpp;

import java.util.Locale;
import org.parley.xml.Element;

/**
 * A stanza error (RFC 6120 §8.3): a defined condition, its type, an optional text and an optional
 * application-specific condition element (§8.3.4, e.g. XEP-0060's {@code <precondition-not-met/>}).
 * Thrown inside a {@link StanzaErrorException} by handlers; turned into an error reply by the
 * router, so handlers read as the happy path plus explicit errors.
 */
public record StanzaError(Condition condition, Type type, String text, Element application) {

    public StanzaError(Condition condition, Type type, String text) {
        this(condition, type, text, null);
    }

    /** This error with an application-specific condition element added. */
    public StanzaError withApplication(Element applicationCondition) {
        return new StanzaError(condition, type, text, applicationCondition);
    }

    public enum Type {
        AUTH, CANCEL, CONTINUE, MODIFY, WAIT;

        public String xmlValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The defined conditions of RFC 6120 §8.3.3 with the type §8.3.3 recommends for each. */
    public enum Condition {
        BAD_REQUEST(Type.MODIFY), CONFLICT(Type.CANCEL), FEATURE_NOT_IMPLEMENTED(Type.CANCEL),
        FORBIDDEN(Type.AUTH), GONE(Type.CANCEL), INTERNAL_SERVER_ERROR(Type.CANCEL),
        ITEM_NOT_FOUND(Type.CANCEL), JID_MALFORMED(Type.MODIFY), NOT_ACCEPTABLE(Type.MODIFY),
        NOT_ALLOWED(Type.CANCEL), NOT_AUTHORIZED(Type.AUTH), POLICY_VIOLATION(Type.MODIFY),
        RECIPIENT_UNAVAILABLE(Type.WAIT), REDIRECT(Type.MODIFY), REGISTRATION_REQUIRED(Type.AUTH),
        REMOTE_SERVER_NOT_FOUND(Type.CANCEL), REMOTE_SERVER_TIMEOUT(Type.WAIT),
        RESOURCE_CONSTRAINT(Type.WAIT), SERVICE_UNAVAILABLE(Type.CANCEL),
        SUBSCRIPTION_REQUIRED(Type.AUTH), UNDEFINED_CONDITION(Type.CANCEL), UNEXPECTED_REQUEST(Type.WAIT);

        private final Type defaultType;
        private final String elementName;

        Condition(Type defaultType) {
            this.defaultType = defaultType;
            this.elementName = name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public Type defaultType() {
            return defaultType;
        }

        public String elementName() {
            return elementName;
        }

        public static Condition fromElementName(String name) {
            for (Condition c : values()) {
                if (c.elementName.equals(name)) {
                    return c;
                }
            }
            return UNDEFINED_CONDITION;
        }
    }

    public static StanzaError of(Condition condition) {
        return new StanzaError(condition, condition.defaultType(), null);
    }

    public static StanzaError of(Condition condition, String text) {
        return new StanzaError(condition, condition.defaultType(), text);
    }

    /** The {@code <error/>} child element of an error stanza. */
    public Element toElement(String by) {
        return Element.builder("error", Namespaces.CLIENT)
                .attr("type", type.xmlValue())
                .attr("by", by)
                .child(Element.empty(condition.elementName(), Namespaces.STANZA_ERRORS))
                .child(text == null ? null : Element.builder("text", Namespaces.STANZA_ERRORS)
                        .attr("xml:lang", "en").text(text).build())
                .child(application)
                .build();
    }

    /** Reads the error of an error stanza, or null when it carries none. */
    public static StanzaError from(Element stanza) {
        Element error = stanza.element("error", stanza.namespace());
        if (error == null) {
            return null;
        }
        Condition condition = Condition.UNDEFINED_CONDITION;
        String text = null;
        Element application = null;
        for (Element e : error.elements()) {
            if (e.namespace().equals(Namespaces.STANZA_ERRORS)) {
                if (e.name().equals("text")) {
                    text = e.text();
                } else {
                    condition = Condition.fromElementName(e.name());
                }
            } else if (application == null) {
                application = e;
            }
        }
        Type type = condition.defaultType();
        String t = error.attr("type");
        if (t != null) {
            try {
                type = Type.valueOf(t.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ignored) {
                // keep the condition's default type
            }
        }
        return new StanzaError(condition, type, text, application);
    }
}
