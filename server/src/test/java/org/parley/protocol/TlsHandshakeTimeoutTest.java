package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.Clients;
import org.parley.testing.RawStreamClient;
import org.parley.testing.TestServer;

/**
 * A person checking an unknown certificate holds the TLS handshake open while the client shows its
 * prompt (Profanity, Gajim). The handshake may take {@code c2s.tlsHandshakeTimeout}, a minute by
 * default; Netty's own default (10 s) ended it under the person's eyes.
 */
class TlsHandshakeTimeoutTest {

    /** Trusts the server's certificate after "reading" it for {@code pause}, as a person at a prompt. */
    private static SSLContext slowPerson(TestServer server, Duration pause) throws Exception {
        X509TrustManager trust = server.trustManager();
        X509TrustManager reading = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                trust.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                trust.checkServerTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return trust.getAcceptedIssuers();
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {reading}, null);
        return ctx;
    }

    @Test
    void aPersonWhoTakesLongerThanTenSecondsAtTheCertificatePromptStillLogsIn(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of())) {
            server.createUser("tls-slow", "pw");
            SSLContext person = slowPerson(server, Duration.ofSeconds(12));

            try (RawStreamClient direct = RawStreamClient.directTls(server.directTlsPort(), person)) {
                direct.openAndReadFeatures(TestServer.DOMAIN);
                assertThat(direct.login(TestServer.DOMAIN, "tls-slow", "pw", "direct")).isEqualTo("tls-slow@localhost/direct");
            }
            try (RawStreamClient starttls = RawStreamClient.plain(server.c2sPort())) {
                starttls.openAndReadFeatures(TestServer.DOMAIN);
                starttls.startTls(person, TestServer.DOMAIN);
                assertThat(starttls.login(TestServer.DOMAIN, "tls-slow", "pw", "starttls"))
                        .isEqualTo("tls-slow@localhost/starttls");
            }
        }
    }

    /** The bound still holds: a handshake past a short setting is dropped; other clients go on. */
    @Test
    void aHandshakeLongerThanTheSettingEndsTheConnection(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("PARLEY_C2S_TLS_HANDSHAKE_TIMEOUT", "1s"))) {
            server.createUser("tls-stall", "pw");
            server.createUser("tls-innocent", "pw");
            SSLContext stalled = slowPerson(server, Duration.ofSeconds(4));

            Throwable direct = catchThrowable(() -> {
                try (RawStreamClient c = RawStreamClient.directTls(server.directTlsPort(), stalled)) {
                    c.openAndReadFeatures(TestServer.DOMAIN);
                }
            });
            assertThat(direct).as("the server ended the handshake").isNotNull();

            XMPPTCPConnection innocent = new Clients(server).login("tls-innocent", "pw");
            try {
                assertThat(innocent.isAuthenticated()).isTrue();
            } finally {
                innocent.disconnect();
            }
        }
    }
}
