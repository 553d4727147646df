package org.parley.xmpp;

/** Thrown by handlers to answer a stanza with an error; carries no stack trace (it is control flow). */
public final class StanzaErrorException extends RuntimeException {
    private final StanzaError error;

    public StanzaErrorException(StanzaError error) {
        super(error.condition().elementName() + (error.text() == null ? "" : ": " + error.text()), null, false, false);
        this.error = error;
    }

    public StanzaErrorException(StanzaError.Condition condition) {
        this(StanzaError.of(condition));
    }

    public StanzaErrorException(StanzaError.Condition condition, String text) {
        this(StanzaError.of(condition, text));
    }

    public StanzaError error() {
        return error;
    }
}
