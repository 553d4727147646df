package org.parley.c2s;

import java.security.SecureRandom;
import org.parley.route.IqHandler;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.session.Session;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.JidFormatException;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.StreamError;

/**
 * Resource binding (RFC 6120 §7), the optional RFC 3921 session IQ, and the IQs a client may
 * send before it authenticates (handled by {@link IqScope#PRE_AUTH} handlers such as in-band
 * registration).
 */
final class BindNegotiation {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final C2sSession session;

    BindNegotiation(C2sSession session) {
        this.session = session;
    }

    /** Handles the one element expected after authentication: the bind IQ. */
    void handle(Element e) {
        Element bind = e.is("iq", Namespaces.CLIENT) ? e.element("bind", Namespaces.BIND) : null;
        if (bind == null) {
            session.close(StreamError.of(StreamError.Condition.NOT_AUTHORIZED, "bind a resource first"));
            return;
        }
        Stanza iq = Stanza.of(e.withAttr("from", null).withAttr("to", null));
        String id = e.attr("id");
        if (!"set".equals(e.attr("type")) || id == null || id.isEmpty()) {
            // RFC 6120 §7.6.1 and §8.2.3: binding is an IQ set with an id; anything else is a bad request.
            if (!"error".equals(e.attr("type")) && !"result".equals(e.attr("type"))) {
                session.reply(iq.errorReply(
                        StanzaError.of(Condition.BAD_REQUEST, "bind with an IQ set that has an id"), null).element());
            }
            return;
        }
        String requested = bind.childText("resource", Namespaces.BIND);
        Jid full;
        try {
            String resource = requested == null || requested.isBlank() ? generated() : requested;
            full = Jid.of(session.username(), session.services.serverJid().domain(), resource);
        } catch (JidFormatException ex) {
            session.reply(iq.errorReply(StanzaError.of(Condition.BAD_REQUEST, ex.getMessage()), null).element());
            return;
        }
        if (tooMany(full)) {
            // RFC 6120 §7.6.2.1: the account has reached its limit of simultaneous resources.
            session.reply(iq.errorReply(StanzaError.of(Condition.RESOURCE_CONSTRAINT,
                    "too many sessions for this account"), null).element());
            return;
        }
        session.bound(full);
        Session replaced = session.services.directory().bind(session);
        if (replaced != null) {
            // RFC 6120 §7.7.2.2: the newest session wins; the old one ends with <conflict/>.
            for (var l : session.services.handlers().listeners()) {
                l.closed(replaced);
            }
            replaced.close(StreamError.of(StreamError.Condition.CONFLICT, "replaced by a new connection"));
        }
        ConnectionLog.bound(full);
        for (var l : session.services.handlers().listeners()) {
            l.bound(session);
        }
        session.reply(iq.resultReply(Element.builder("bind", Namespaces.BIND)
                .textChild("jid", Namespaces.BIND, full.toString()).build()).element());
    }

    /** Whether binding {@code full} would pass c2s.maxSessionsPerAccount; replacing a resource never does. */
    private boolean tooMany(Jid full) {
        int count = 0;
        for (Session s : session.services.directory().sessions(full.bare())) {
            if (full.equals(s.jid())) {
                return false;
            }
            count++;
        }
        return count >= session.services.config().c2s().maxSessionsPerAccount();
    }

    private static String generated() {
        char[] c = new char[12];
        for (int i = 0; i < c.length; i++) {
            c[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return "parley-" + new String(c);
    }

    /** Answers the RFC 3921 session IQ that some clients still send; true when it was one. */
    boolean handlesSessionIq(Element e) {
        if (!"set".equals(e.attr("type")) || e.element("session", Namespaces.SESSION) == null) {
            return false;
        }
        String to = e.attr("to");
        if (to != null && !session.services.serverJid().equals(Jid.parseOrNull(to))) {
            return false;
        }
        session.deliver(Stanza.of(e.withAttr("from", session.jid().toString()).withAttr("to", to))
                .resultReply(null).withFrom(to == null ? null : session.services.serverJid()));
        return true;
    }

    /** An IQ on a stream that has not authenticated: only PRE_AUTH handlers may answer. */
    void preAuthIq(Element e) {
        Stanza iq;
        try {
            iq = Stanza.of(e.withAttr("from", null));
        } catch (StanzaErrorException ex) {
            session.close(StreamError.of(StreamError.Condition.NOT_AUTHORIZED));
            return;
        }
        String type = iq.type();
        Element payload = iq.payload();
        if (iq.id() == null || payload == null || !("get".equals(type) || "set".equals(type))
                || (iq.to() != null && !iq.to().equals(session.services.serverJid()))) {
            session.close(StreamError.of(StreamError.Condition.NOT_AUTHORIZED));
            return;
        }
        IqHandler handler = session.services.handlers().iqHandler(IqScope.PRE_AUTH, "set".equals(type), QName.of(payload));
        Stanza reply = handler == null
                ? iq.errorReply(StanzaError.of(Condition.SERVICE_UNAVAILABLE), null)
                : session.services.router().answer(handler,
                        new IqRequest(iq, null, session.services.serverJid(), session.isSecure(), session));
        session.reply(reply.withTo(null).element());
    }
}
