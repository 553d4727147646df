package org.parley.store;

import java.util.Objects;

/**
 * An inbound subscription request not yet answered (RFC 6121 §3.1.3), kept so that it can be
 * delivered again when the user next logs in.
 *
 * @param from bare JID of the requester
 * @param stanzaXml the {@code subscribe} presence stanza as received
 */
public record PendingSubscription(String from, String stanzaXml) {

    public PendingSubscription {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(stanzaXml, "stanzaXml");
    }
}
