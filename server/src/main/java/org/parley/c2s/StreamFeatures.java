package org.parley.c2s;

import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/** The {@code <stream:features/>} a client sees at each stage of negotiation (RFC 6120 §4.3.2). */
final class StreamFeatures {
    private StreamFeatures() {
    }

    /** The features element; the transport renders it ({@code <stream:features>} over TCP). */
    static Element of(C2sSession session) {
        Element.Builder features = Element.builder("features", Namespaces.STREAMS);
        if (session.username() != null) {
            features.child(Element.empty("bind", Namespaces.BIND));
            // RFC 3921 session: advertised optional so older clients skip it (RFC 6121 Appendix E).
            features.child(Element.builder("session", Namespaces.SESSION)
                    .child(Element.empty("optional", Namespaces.SESSION)).build());
            features.children(session.services.features().boundStreamFeatures());
            return features.build();
        }
        if (session.tlsOffered()) {
            Element.Builder starttls = Element.builder("starttls", Namespaces.TLS);
            if (session.tlsRequired()) {
                starttls.child(Element.empty("required", Namespaces.TLS));
            }
            features.child(starttls.build());
        }
        if (!session.tlsRequired()) {
            Element.Builder mechanisms = Element.builder("mechanisms", Namespaces.SASL);
            for (String m : session.services.sasl().offered(session.isSecure())) {
                mechanisms.textChild("mechanism", Namespaces.SASL, m);
            }
            features.child(mechanisms.build());
            features.children(session.services.features().preAuthStreamFeatures());
        }
        return features.build();
    }
}
