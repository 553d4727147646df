package org.parley.testing;

import javax.security.auth.callback.CallbackHandler;
import org.jivesoftware.smack.SASLAuthentication;
import org.jivesoftware.smack.SmackException.SmackSaslException;
import org.jivesoftware.smack.sasl.SASLMechanism;
import org.parley.auth.ScramClient;

/**
 * SCRAM-SHA-256 (RFC 7677) for Smack 4.4, which ships only SCRAM-SHA-1 (its SCRAM base class
 * hard-codes SHA-1 for StoredKey). Registered with a low priority so connections that do not
 * enable it explicitly keep choosing Smack's own mechanisms.
 */
public final class SmackScramSha256 extends SASLMechanism {
    public static final String NAME = "SCRAM-SHA-256";

    private ScramClient scram;
    private int step;
    private boolean verified;

    /** Registers the mechanism with Smack once per JVM; safe to call repeatedly. */
    public static synchronized void register() {
        if (!SASLAuthentication.isSaslMechanismRegistered(NAME)) {
            SASLAuthentication.registerSASLMechanism(new SmackScramSha256());
        }
    }

    @Override
    protected void authenticateInternal(CallbackHandler cbh) {
        throw new UnsupportedOperationException("callback handlers are not supported");
    }

    @Override
    protected byte[] getAuthenticationText() {
        scram = new ScramClient(NAME, authenticationId, password);
        return scram.clientFirst();
    }

    @Override
    protected byte[] evaluateChallenge(byte[] challenge) throws SmackSaslException {
        switch (step++) {
            case 0:
                return scram.clientFinal(challenge);
            case 1:
                verified = scram.verifyServerFinal(challenge);
                if (!verified) {
                    throw new SmackSaslException("server signature does not verify");
                }
                return null;
            default:
                throw new SmackSaslException("unexpected challenge");
        }
    }

    @Override
    protected void checkIfSuccessfulOrThrow() throws SmackSaslException {
        if (!verified) {
            throw new SmackSaslException("SCRAM-SHA-256 ended without a verified server signature");
        }
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public int getPriority() {
        return 10_000;
    }

    @Override
    protected SASLMechanism newInstance() {
        return new SmackScramSha256();
    }
}
