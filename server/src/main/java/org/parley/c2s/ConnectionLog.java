package org.parley.c2s;

import java.util.Locale;
import org.parley.xmpp.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's story of each client connection, one INFO line per event: connected, TLS
 * established, authenticated or failed, bound, detached, resumed, closed. Every line is written on
 * the session's executor, where the {@code sid} MDC key names the session. What may appear is
 * chosen here, once: addresses, account names, mechanisms, conditions and counts — never a
 * password, a SASL payload, a resumption id or a stanza's content.
 */
final class ConnectionLog {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLog.class);

    private ConnectionLog() {
    }

    static void connected(Connection c) {
        log.info("connected from {} over {}", c.remoteAddress(), c.transport());
    }

    static void tlsEstablished(String protocol, String cipher) {
        log.info("TLS established: {} {}", protocol, cipher);
    }

    static void authenticated(String account, String mechanism) {
        log.info("authenticated as {} with {}", account, mechanism);
    }

    /** @param account the account the client named, or null when it named none (or none valid) */
    static void authenticationFailed(String account, String mechanism, String condition) {
        log.info("authentication failed for {} with {}: {}", account == null ? "an unknown account" : account,
                mechanism == null ? "no mechanism" : mechanism, condition);
    }

    static void bound(Jid full) {
        log.info("bound {}", full);
    }

    static void detached(int unacknowledged) {
        log.info("detached: connection lost with {} stanzas unacknowledged; waiting for resumption", unacknowledged);
    }

    /**
     * @param detachedNanos how long the session waited without a connection, or -1 when it still had one
     * @param conflict      whether the connection it had is closed with {@code conflict}
     */
    static void resumed(Connection c, long detachedNanos, boolean conflict) {
        log.info("resumed by connection {} from {} over {}{}{}", c.id(), c.remoteAddress(), c.transport(),
                detachedNanos < 0 ? "" : " after " + seconds(detachedNanos) + " detached",
                conflict ? "; the previous connection ends with conflict" : "");
    }

    /** A session of another cluster node continued on this connection. */
    static void adopted(Jid full, String why) {
        log.info("bound {}, resuming a session of another node ({})", full, why);
    }

    static void closed(String reason, long nanos, long stanzasIn, long stanzasOut) {
        log.info("closed: {}; after {}, stanzas in {}, out {}", reason, seconds(nanos), stanzasIn, stanzasOut);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
