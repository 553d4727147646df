package org.parley.session;

import org.parley.xml.Element;

/**
 * Handles top-level elements of one namespace that are not stanzas, on an authenticated client
 * stream (before or after resource binding). Runs on the session's mailbox, in input order.
 */
@FunctionalInterface
public interface NonzaHandler {

    void handle(ClientStream stream, Element nonza);
}
