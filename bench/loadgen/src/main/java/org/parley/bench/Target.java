package org.parley.bench;

import io.netty.handler.ssl.SslContext;

/**
 * The server under test as the generator sees it.
 *
 * @param startTls  negotiate STARTTLS when offered (the tls scenario); otherwise stay plaintext
 * @param mechanism "auto" (PLAIN when offered, else SCRAM-SHA-1), "PLAIN" or "SCRAM-SHA-1"
 * @param ssl       client context trusting any certificate, or null without STARTTLS
 * @param scramCache salted passwords kept across runs
 */
record Target(String host, int port, String domain, boolean startTls, String mechanism, String password, SslContext ssl,
              ScramCache scramCache) {

    static String userName(int index) {
        return String.format("u%05d", index);
    }

    String jid(int index) {
        return userName(index) + "@" + domain;
    }
}
