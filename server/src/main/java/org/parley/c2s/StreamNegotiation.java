package org.parley.c2s;

import java.util.UUID;
import org.parley.xml.Element;
import org.parley.xml.StreamHeader;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StreamError;
import org.parley.xmpp.StreamError.Condition;

/**
 * A client stream up to resource binding: the client's stream header (RFC 6120 §4.7), STARTTLS
 * (§5) where the transport offers it, then SASL (§6), the IQs allowed before authentication and
 * binding (§7), each handed to its step. Runs on the session's mailbox.
 */
final class StreamNegotiation {
    private final C2sSession session;
    private final SaslNegotiation sasl;
    private final BindNegotiation bind;

    StreamNegotiation(C2sSession session, BindNegotiation bind) {
        this.session = session;
        this.sasl = new SaslNegotiation(session);
        this.bind = bind;
    }

    /** The client's stream header: answered with the server's, then features or a stream error. */
    void header(StreamHeader header) {
        if (session.streamState() != StreamState.AWAITING_HEADER) {
            session.close(StreamError.of(Condition.BAD_FORMAT, "unexpected stream header"));
            return;
        }
        Jid server = session.services.serverJid();
        String to = header.to();
        StreamError error = null;
        if (!Namespaces.STREAMS.equals(header.streamNamespace()) || !"stream".equals(header.localName())) {
            error = StreamError.of(Condition.INVALID_NAMESPACE);
        } else if (!Namespaces.CLIENT.equals(header.namespace())) {
            error = StreamError.of(Condition.INVALID_NAMESPACE, "this port serves jabber:client");
        } else if (to == null || !server.equals(Jid.parseOrNull(to))) {
            error = StreamError.of(Condition.HOST_UNKNOWN, "this server serves " + server);
        } else if (!versionOk(header.version())) {
            error = StreamError.of(Condition.UNSUPPORTED_VERSION, "XMPP 1.0 is required");
        }
        session.connection().open(UUID.randomUUID().toString(), server);
        if (error != null) {
            session.close(error);
            return;
        }
        session.opened();
        session.reply(StreamFeatures.of(session));
    }

    private static boolean versionOk(String version) {
        if (version == null) {
            return false;
        }
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot)) == 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** An element before binding that no feature took as its nonza. */
    void element(Element e) {
        if (session.streamState() == StreamState.AUTHENTICATED) {
            bind.handle(e);
        } else if (e.is("starttls", Namespaces.TLS)) {
            startTls();
        } else if (Namespaces.SASL.equals(e.namespace())) {
            if (session.tlsRequired()) {
                sasl.fail("encryption-required", null);
            } else {
                sasl.handle(e);
            }
        } else if (e.is("iq", Namespaces.CLIENT) && !session.tlsRequired()) {
            bind.preAuthIq(e);
        } else {
            session.close(StreamError.of(Condition.NOT_AUTHORIZED));
        }
    }

    /** RFC 6120 §5.4.2: the transport does the handshake; a refusal ends the stream and connection. */
    private void startTls() {
        if (!session.tlsOffered() || session.streamState() != StreamState.UNAUTHENTICATED) {
            session.reply(Element.empty("failure", Namespaces.TLS));
            session.closeCleanly("STARTTLS refused");
            return;
        }
        session.setStreamState(StreamState.AWAITING_HEADER);
        session.connection().startTls(Element.empty("proceed", Namespaces.TLS));
    }
}
