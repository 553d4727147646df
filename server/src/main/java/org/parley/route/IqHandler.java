package org.parley.route;

import org.parley.xml.Element;

/**
 * Answers one kind of IQ (a type and a payload QName). Throwing a
 * {@link org.parley.xmpp.StanzaErrorException} answers with that error; any other exception is
 * logged and answered with {@code internal-server-error}.
 */
@FunctionalInterface
public interface IqHandler {

    /** @return the result's payload, or null for an empty result */
    Element handle(IqRequest request);
}
