package org.parley.route;

import org.parley.xmpp.Stanza;

/**
 * What a module hosting a service domain receives from the router: every message and presence
 * addressed to the domain or to a JID at it, and IQ results and errors there that no request
 * the server sent through its {@link IqTracker} waits for (answers to what the service sent).
 * IQ requests go to the service's IQ handlers instead ({@link IqScope#SERVICE},
 * {@link IqScope#SERVICE_JID}). No feature hooks run on the way: like an external component, a
 * service applies its own rules.
 *
 * <p>It runs on the sender's thread (a session's virtual thread, or a cluster bus thread), so it
 * may block on the database; stanzas from one sender arrive in the order sent, stanzas from
 * different senders concurrently. Throwing {@link org.parley.xmpp.StanzaErrorException} answers
 * the stanza with that error, as the router's bounce rules allow (RFC 6120 §8.3: never an error
 * in reply to an error); any other exception answers {@code internal-server-error}.
 */
@FunctionalInterface
public interface ServiceReceiver {

    void receive(Stanza stanza);
}
