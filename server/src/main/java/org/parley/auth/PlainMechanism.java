package org.parley.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * Server side of PLAIN (RFC 4616): {@code [authzid] NUL authcid NUL passwd}, checked against the
 * stored SCRAM credentials (SHA-256 preferred, SHA-1 otherwise), so no plaintext is ever stored.
 * Only to be offered over TLS; {@link SaslMechanisms} enforces that.
 *
 * <p>Unknown accounts are checked against {@link DecoyCredentials} so they cost the same PBKDF2 time
 * as a wrong password and cannot be told apart by timing.
 */
public final class PlainMechanism implements SaslMechanism {

    public static final String NAME = "PLAIN";

    private final CredentialLookup lookup;
    private final String domain;
    private final DecoyCredentials decoys;
    private boolean solicited;
    private boolean done;
    private String username;

    public PlainMechanism(CredentialLookup lookup, String domain, DecoyCredentials decoys) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.decoys = Objects.requireNonNull(decoys, "decoys");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String username() {
        return username;
    }

    @Override
    public SaslStep evaluate(byte[] response) {
        Objects.requireNonNull(response, "response");
        if (done) {
            throw new IllegalStateException("PLAIN exchange already finished");
        }
        if (response.length == 0 && !solicited) {
            // No initial response: ask for it with an empty challenge (RFC 6120 §6.4.2).
            solicited = true;
            return new SaslStep.Challenge(new byte[0]);
        }
        done = true;
        return authenticate(response);
    }

    private SaslStep authenticate(byte[] response) {
        Optional<String> text = Utf8.decode(response);
        if (text.isEmpty()) {
            return new SaslStep.Failure(SaslFailure.INCORRECT_ENCODING, "not UTF-8");
        }
        String[] parts = text.get().split("\0", -1);
        if (parts.length != 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
            return new SaslStep.Failure(SaslFailure.MALFORMED_REQUEST, "expected authzid NUL authcid NUL passwd");
        }
        try {
            username = Usernames.prepare(parts[1]);
        } catch (IllegalArgumentException e) {
            return new SaslStep.Failure(SaslFailure.NOT_AUTHORIZED, "invalid username");
        }
        String authzid = parts[0];
        if (!authzid.isEmpty() && !Authzid.permits(authzid, username, domain)) {
            return new SaslStep.Failure(SaslFailure.INVALID_AUTHZID, "authzid must be the account's bare JID");
        }
        Optional<ScramCredentials> found = lookup.lookup(username, ScramCredentials.SHA_256)
                .or(() -> lookup.lookup(username, ScramCredentials.SHA_1));
        ScramCredentials credentials = found.orElseGet(() -> decoys.forUser(username, ScramCredentials.SHA_256));
        boolean matches = credentials.matches(parts[2]);
        if (!matches || found.isEmpty()) {
            return new SaslStep.Failure(SaslFailure.NOT_AUTHORIZED, null);
        }
        return new SaslStep.Success(username, null);
    }
}
