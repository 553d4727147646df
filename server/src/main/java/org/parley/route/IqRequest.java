package org.parley.route;

import org.parley.session.ClientStream;
import org.parley.session.Session;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;

/**
 * An IQ get or set as a handler receives it.
 *
 * @param stanza the IQ; 'from' is the sender's full JID (null before authentication)
 * @param origin the sender's local session, or null when it came from elsewhere
 * @param target the bare JID or domain the IQ is addressed to (the sender's own bare JID when it had no 'to');
 *               at a service domain, the address as sent: the domain, or a bare or full JID at it
 * @param secure whether the sender's stream is encrypted (known for local senders)
 * @param stream the sender's stream for a request before authentication (in-band registration
 *               keeps its state there and judges its address), else null
 */
public record IqRequest(Stanza stanza, Session origin, Jid target, boolean secure, ClientStream stream) {

    public IqRequest(Stanza stanza, Session origin, Jid target, boolean secure) {
        this(stanza, origin, target, secure, null);
    }

    public Element payload() {
        return stanza.payload();
    }

    public Jid from() {
        return stanza.from();
    }

    public boolean isSet() {
        return "set".equals(stanza.type());
    }

    /** True when a user addresses their own account. */
    public boolean isSelf() {
        return stanza.from() != null && target != null && target.sameBare(stanza.from()) && target.local() != null;
    }
}
