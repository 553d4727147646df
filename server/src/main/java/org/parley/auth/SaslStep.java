package org.parley.auth;

import java.util.Objects;

/**
 * What a mechanism answers to one client message. The session turns it into
 * {@code <challenge/>}, {@code <success/>} or {@code <failure/>} (RFC 6120 §6.4), base64-encoding the bytes.
 * The cases are records nested here so a switch over {@code SaslStep} reads as the protocol does.
 */
public sealed interface SaslStep {

    /** Send {@code <challenge/>} with {@code data} and wait for the next {@code <response/>}. */
    record Challenge(byte[] data) implements SaslStep {
        public Challenge {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * Authentication succeeded for the normalized {@code username} (localpart of the bound JID).
     *
     * @param additionalData content of {@code <success/>} (SCRAM's server-final message), or null for none
     */
    record Success(String username, byte[] additionalData) implements SaslStep {
        public Success {
            Objects.requireNonNull(username, "username");
        }
    }

    /** Send {@code <failure/>} with the condition and, if non-null, a {@code <text/>}. The exchange is over. */
    record Failure(SaslFailure condition, String text) implements SaslStep {
        public Failure {
            Objects.requireNonNull(condition, "condition");
        }
    }
}
