package org.parley.c2s;

import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.parley.auth.AuthThrottle;
import org.parley.auth.SaslMechanism;
import org.parley.auth.SaslStep;
import org.parley.store.StoreException;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StreamError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SASL exchange of RFC 6120 §6.4 on one stream: auth, challenges and responses, abort,
 * success with a stream restart, failures after a delay that slows down password guessing.
 */
final class SaslNegotiation {
    private static final Logger log = LoggerFactory.getLogger(SaslNegotiation.class);

    private final C2sSession session;
    private SaslMechanism mechanism;
    private int failures;

    SaslNegotiation(C2sSession session) {
        this.session = session;
    }

    void handle(Element e) {
        switch (e.name()) {
            case "auth" -> auth(e);
            case "response" -> response(e);
            case "abort" -> fail("aborted", null);
            default -> session.close(StreamError.of(StreamError.Condition.UNSUPPORTED_STANZA_TYPE));
        }
    }

    private void auth(Element e) {
        String name = e.attr("mechanism");
        boolean secure = session.isSecure();
        AuthThrottle throttle = session.services.throttle();
        String address = session.addressKey();
        if (throttled(throttle.addressWait(address), null, null)) {
            return;
        }
        Optional<SaslMechanism> m = name == null ? Optional.empty()
                : session.services.sasl().create(name, secure, user -> throttle.accountWait(address, user).isZero(),
                        lookup -> (user, algorithm) -> inTurn(() -> lookup.lookup(user, algorithm)));
        if (m.isEmpty()) {
            boolean needsTls = name != null && !secure && session.services.sasl().requiresEncryption(name);
            // The name is the client's: only one the server knows goes into the log.
            fail(needsTls ? "encryption-required" : "invalid-mechanism", null, needsTls ? name : null, null);
            return;
        }
        mechanism = m.get();
        session.setStreamState(StreamState.AUTHENTICATING);
        // No initial response (or "="): the mechanism answers with the empty challenge of RFC 6120
        // §6.4.2 itself, so it knows the next response is the one it asked for.
        String text = e.text().trim();
        evaluate(text.isEmpty() ? "=" : text);
    }

    private void response(Element e) {
        if (mechanism == null) {
            fail("malformed-request", "no authentication in progress");
            return;
        }
        evaluate(e.text().trim());
    }

    private void evaluate(String base64) {
        byte[] data;
        try {
            data = base64.equals("=") ? new byte[0] : Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException ex) {
            fail("incorrect-encoding", null);
            return;
        }
        SaslStep step;
        try {
            step = mechanism.evaluate(data);
        } catch (AuthThrottle.Refused ex) {
            SaslMechanism m = mechanism;
            Duration wait = session.services.throttle().accountWait(session.addressKey(), m.username());
            throttled(wait.isZero() ? Duration.ofMillis(1) : wait, m.name(), m.username());
            return;
        } catch (Busy ex) {
            // Past auth.maxWaitingLogins: refused before any work, for the client to retry soon;
            // the server's state, not the client's attempt, so it counts as no failure.
            SaslMechanism m = mechanism;
            mechanism = null;
            ConnectionLog.authenticationFailed(m.username(), m.name(), "busy");
            session.setStreamState(StreamState.UNAUTHENTICATED);
            failures--;
            answer("temporary-auth-failure", "the server is busy; try again in a few seconds");
            return;
        } catch (Abandoned ex) {
            mechanism = null;
            session.setStreamState(StreamState.UNAUTHENTICATED);
            if (System.nanoTime() - session.authDeadlineNanos() >= 0) {
                session.close(StreamError.of(StreamError.Condition.CONNECTION_TIMEOUT, "not authenticated in time"));
            }
            // Otherwise its connection went away, or the server stops: what is queued behind ends it.
            return;
        } catch (StoreException ex) {
            // RFC 6120 §6.5.12: the credentials could not be read (database down); the client may
            // retry later, and it is not the client's fault, so it does not count as a failure.
            log.warn("SASL: cannot read credentials: {}", ex.getMessage());
            failures--;
            fail("temporary-auth-failure", null);
            return;
        }
        switch (step) {
            case SaslStep.Challenge c -> session.reply(Element.builder("challenge", Namespaces.SASL)
                    .text(Base64.getEncoder().encodeToString(c.data())).build());
            case SaslStep.Success s -> succeed(s);
            case SaslStep.Failure f -> fail(f.condition().elementName(), f.text());
        }
    }

    /**
     * Reads credentials in this login's turn ({@link LoginAdmission}): waits for it, parked, up
     * to the stream's c2s.authTimeout; throws {@link Busy} when too many logins wait already and
     * {@link Abandoned} when the wait ended without a turn (the connection went away, the server
     * stops, or the time is up), so no read is made for a login that is over.
     */
    private <T> T inTurn(java.util.function.Supplier<T> read) {
        LoginAdmission admission = session.services.admission();
        LoginAdmission.Ticket ticket = admission.enter();
        if (ticket == null) {
            throw BUSY;
        }
        if (!ticket.granted()) {
            session.waitingTurn(ticket);
            boolean granted;
            try {
                if (!session.connection().isOpen()) {
                    admission.cancel(ticket); // went away before it could be told of the ticket
                }
                granted = admission.await(ticket, session.authDeadlineNanos());
            } finally {
                session.waitingTurn(null);
            }
            if (!granted) {
                throw ABANDONED;
            }
        }
        try {
            return read.get();
        } finally {
            admission.release(ticket);
        }
    }

    /** Too many logins wait for a turn at the database. */
    private static final class Busy extends RuntimeException {
        Busy() {
            super("too many logins waiting", null, false, false);
        }
    }

    /** A login's wait for its turn ended without one. */
    private static final class Abandoned extends RuntimeException {
        Abandoned() {
            super("the login gave up its turn", null, false, false);
        }
    }

    private static final Busy BUSY = new Busy();
    private static final Abandoned ABANDONED = new Abandoned();

    /**
     * Answers an attempt from an address, or on an account, that must still wait: at once, with
     * {@code temporary-auth-failure} (RFC 6120 §6.5.12) and no credential work; it counts against
     * the stream's attempts (RFC 6120 §6.4.5) like any failure. False when there is no wait.
     */
    private boolean throttled(Duration wait, String mechanismName, String account) {
        if (wait.isZero()) {
            return false;
        }
        mechanism = null;
        ConnectionLog.authenticationFailed(account, mechanismName, "throttled");
        session.setStreamState(StreamState.UNAUTHENTICATED);
        answer("temporary-auth-failure", "too many failed attempts; try again in " + (wait.toSeconds() + 1) + " s");
        return true;
    }

    private void succeed(SaslStep.Success s) {
        session.services.throttle().succeeded(session.addressKey(), s.username());
        ConnectionLog.authenticated(s.username(), mechanism.name());
        mechanism = null;
        session.authenticated(s.username(), Element.builder("success", Namespaces.SASL)
                .text(s.additionalData() == null ? null : Base64.getEncoder().encodeToString(s.additionalData()))
                .build());
    }

    /** Fails the attempt under way, if any. */
    void fail(String condition, String text) {
        SaslMechanism m = mechanism;
        fail(condition, text, m == null ? null : m.name(), m == null ? null : m.username());
    }

    private void fail(String condition, String text, String mechanismName, String account) {
        mechanism = null;
        ConnectionLog.authenticationFailed(account, mechanismName, condition);
        session.setStreamState(StreamState.UNAUTHENTICATED);
        if ("not-authorized".equals(condition)) {
            session.services.throttle().failed(session.addressKey(), account);
        }
        long delay = session.services.config().auth().saslFailureDelay().toMillis();
        if (delay > 0) {
            try {
                Thread.sleep(delay); // on this session's virtual thread: slows guessing, blocks nobody else
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        answer(condition, text);
    }

    private void answer(String condition, String text) {
        session.reply(Element.builder("failure", Namespaces.SASL)
                .child(Element.empty(condition, Namespaces.SASL))
                .child(text == null ? null : Element.builder("text", Namespaces.SASL).attr("xml:lang", "en").text(text).build())
                .build());
        if (++failures >= session.services.config().auth().maxFailures()) { // RFC 6120 §6.4.5
            session.close(StreamError.of(StreamError.Condition.POLICY_VIOLATION, "too many authentication failures"));
        }
    }
}
