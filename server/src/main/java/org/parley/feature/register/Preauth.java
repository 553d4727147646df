package org.parley.feature.register;

import org.parley.xml.Element;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * {@code <preauth xmlns='urn:xmpp:pars:0' token='…'/>}: an invitation token presented before
 * in-band registration (XEP-0445 §5), the namespace XEP-0379 defines.
 */
public record Preauth(String token) {
    public static final String NAMESPACE = "urn:xmpp:pars:0";
    public static final String ELEMENT = "preauth";
    /** The stream feature of a server that takes invitation tokens (XEP-0445 §4). */
    public static final String FEATURE_NAMESPACE = "urn:xmpp:ibr-token:0";

    /** Reads the element; one without a token is {@code bad-request}. */
    public static Preauth from(Element e) {
        String token = e.attr("token");
        if (token == null || token.isBlank()) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "a token is required");
        }
        return new Preauth(token);
    }

    public Element toElement() {
        return Element.builder(ELEMENT, NAMESPACE).attr("token", token).build();
    }
}
