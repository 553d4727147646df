package org.parley.xmpp;

/** A string is not a valid JID (RFC 7622); maps to {@code jid-malformed}. */
public final class JidFormatException extends IllegalArgumentException {
    public JidFormatException(String message) {
        super(message);
    }
}
