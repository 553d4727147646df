package org.parley.auth;

/**
 * The server side of one SASL authentication attempt (RFC 4422 §3). One instance per attempt; not
 * thread-safe. After it has answered {@link SaslStep.Success} or {@link SaslStep.Failure} it must not be
 * called again.
 */
public interface SaslMechanism {

    /** The registered mechanism name, e.g. "SCRAM-SHA-256". */
    String name();

    /**
     * The account the client named, prepared (a valid localpart), once known; null before, or when
     * it named none that is valid. For the log line of a failed attempt: never the password.
     */
    default String username() {
        return null;
    }

    /**
     * Evaluates the initial response (an empty array when the client sent none or "=") and every
     * later response, already base64-decoded by the session.
     *
     * @throws IllegalStateException if called after the exchange finished
     */
    SaslStep evaluate(byte[] response);
}
