package org.parley.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Which mechanisms a stream is offered (RFC 6120 §6.4.1) and a fresh {@link SaslMechanism} per
 * attempt. One instance per server: it holds the {@link DecoyCredentials} secret that keeps unknown
 * accounts looking the same across attempts.
 *
 * <p>PLAIN exists only on TLS-protected streams. If a client selects it on a plain stream,
 * {@link #create} is empty and the session should answer {@code <encryption-required/>}
 * (RFC 6120 §6.4.5: the mechanism is allowed only over encrypted streams); {@link #requiresEncryption}
 * tells that case apart from an unknown name, which gets {@code <invalid-mechanism/>}.
 */
public final class SaslMechanisms {

    public static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
    public static final String SCRAM_SHA_1 = "SCRAM-SHA-1";
    public static final String PLAIN = PlainMechanism.NAME;

    /** Base64 of 24 random bytes: 32 characters, none of them ',' or padding. */
    private static final int NONCE_BYTES = 24;

    private final CredentialLookup lookup;
    private final String domain;
    private final DecoyCredentials decoys;
    private final Supplier<String> nonces;

    public SaslMechanisms(CredentialLookup lookup, String domain) {
        this(lookup, domain, ScramCredentials.DEFAULT_ITERATIONS, new SecureRandom());
    }

    /**
     * @param iterations the iteration count stored credentials are derived with, which decoys
     *                   for unknown accounts must show too
     */
    public SaslMechanisms(CredentialLookup lookup, String domain, int iterations, SecureRandom random) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.decoys = new DecoyCredentials(random, iterations);
        this.nonces = () -> {
            byte[] bytes = new byte[NONCE_BYTES];
            random.nextBytes(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        };
    }

    /** Mechanism names for {@code <mechanisms/>}, strongest first. */
    public List<String> offered(boolean secure) {
        return secure ? List.of(SCRAM_SHA_256, SCRAM_SHA_1, PLAIN) : List.of(SCRAM_SHA_256, SCRAM_SHA_1);
    }

    /** A new mechanism for one attempt, or empty if {@code name} is not offered on this stream. */
    public Optional<SaslMechanism> create(String name, boolean secure) {
        return create(name, secure, lookup);
    }

    /**
     * As {@link #create(String, boolean)}, but the account the client names is first put to
     * {@code admit}: when it answers false the mechanism throws {@link AuthThrottle.Refused} from
     * its step, before reading credentials or deriving any key.
     */
    public Optional<SaslMechanism> create(String name, boolean secure, Predicate<String> admit) {
        return create(name, secure, admit, UnaryOperator.identity());
    }

    /**
     * As {@link #create(String, boolean, Predicate)}, with the credential read of an admitted
     * account made through {@code around(lookup)}: the caller may wait for its turn at the
     * database there, or refuse (by throwing, which the mechanism's step passes on).
     */
    public Optional<SaslMechanism> create(String name, boolean secure, Predicate<String> admit,
                                          UnaryOperator<CredentialLookup> around) {
        CredentialLookup read = around.apply(lookup);
        return create(name, secure, (username, algorithm) -> {
            if (!admit.test(username)) {
                throw new AuthThrottle.Refused();
            }
            return read.lookup(username, algorithm);
        });
    }

    private Optional<SaslMechanism> create(String name, boolean secure, CredentialLookup lookup) {
        return Optional.ofNullable(switch (name) {
            case SCRAM_SHA_256 -> new ScramMechanism(ScramCredentials.SHA_256, lookup, domain, nonces, decoys);
            case SCRAM_SHA_1 -> new ScramMechanism(ScramCredentials.SHA_1, lookup, domain, nonces, decoys);
            case PLAIN -> secure ? new PlainMechanism(lookup, domain, decoys) : null;
            case null, default -> null;
        });
    }

    /** Whether {@code name} is a mechanism Parley supports only over TLS (answer encryption-required). */
    public boolean requiresEncryption(String name) {
        return PLAIN.equals(name);
    }
}
