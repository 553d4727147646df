package org.parley.c2s;

import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.StreamError;
import org.parley.xmpp.StreamError.Condition;

/**
 * What a bound client sends (RFC 6120 §8): each stanza is stamped with the session's full JID,
 * checked, and routed or answered with its error; and, when the client has been silent, the ping
 * that tells whether it is still there (XEP-0199). Runs on the session's mailbox.
 */
final class ClientStanzas {
    private final C2sSession session;
    private final BindNegotiation bind;

    ClientStanzas(C2sSession session, BindNegotiation bind) {
        this.session = session;
        this.bind = bind;
    }

    void received(Element e) {
        if (bind.handlesSessionIq(e)) {
            return;
        }
        Jid jid = session.jid();
        Jid server = session.services.serverJid();
        Stanza s;
        try {
            s = Stanza.of(e);
        } catch (StanzaErrorException ex) {
            // RFC 6120 §8.3.1: errors are never answered with errors, and an IQ result expects no reply.
            String type = e.attr("type");
            if (!"error".equals(type) && !(e.name().equals("iq") && "result".equals(type))) {
                session.deliver(Stanza.of(e.withAttr("to", null).withAttr("from", null))
                        .errorReply(ex.error(), server).withTo(jid));
            }
            return;
        }
        if (s.from() != null && !s.from().equals(jid) && !s.from().equals(jid.bare())) {
            session.close(StreamError.of(Condition.INVALID_FROM));
            return;
        }
        s = s.withFrom(jid);
        StanzaError invalid = StanzaChecks.check(s);
        if (invalid != null) {
            if (!s.isError()) {
                session.deliver(s.errorReply(invalid, server).withTo(jid));
            }
            return;
        }
        session.services.router().routeFromClient(s, session);
    }

    /** The client has been silent for the idle period: ping it once, drop it if it does not answer. */
    void silent() {
        Jid jid = session.jid();
        if (jid == null || session.streamState() != StreamState.BOUND) {
            session.close(StreamError.of(Condition.CONNECTION_TIMEOUT));
            return;
        }
        var tracker = session.services.router().iqTracker();
        String id = tracker.nextId();
        tracker.expect(id, jid, session.services.config().ping().timeout()).whenComplete((answer, failure) -> {
            if (failure != null) {
                session.mailbox().execute(() -> session.close(StreamError.of(Condition.CONNECTION_TIMEOUT)));
            }
        });
        // Straight to the session, not through the DELIVER hooks: a keepalive is not news, and
        // hooks that act on a delivery (releasing what they hold, say) must not see it.
        session.deliver(Stanza.iq(session.services.serverJid(), jid, "get", id, Element.empty("ping", Namespaces.PING)));
    }
}
