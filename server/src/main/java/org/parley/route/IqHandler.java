package org.parley.route;

import org.parley.xml.Element;

/**
 * Answers one kind of IQ (a type and a payload QName). Throwing a
 * {@link org.parley.xmpp.StanzaErrorException} answers with that error; any other exception is
 * logged and answered with {@code internal-server-error}.
 */
@FunctionalInterface
public interface IqHandler {

    /**
     * Returned by a handler that has already sent its reply itself, because something must
     * follow the reply (e.g. roster pushes after an empty result, RFC 6121 §2.6.3).
     */
    Element ANSWERED = Element.empty("answered", "urn:parley:internal");

    /** @return the result's payload, or null for an empty result */
    Element handle(IqRequest request);
}
