package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.Clients;
import org.parley.testing.RawStreamClient;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * What an unencrypted stream may do (RFC 6120 §5.3.1, §6.4.5 encryption-required; RFC 4616 §6):
 * by default nothing but STARTTLS; with plaintext allowed, SCRAM but never PLAIN.
 */
class PlaintextStreamTest {
    @TempDir
    static Path strictDir;
    @TempDir
    static Path lenientDir;
    /** The default: TLS is mandatory-to-negotiate. */
    static TestServer strict;
    /** PARLEY_C2S_ALLOW_PLAINTEXT=true. */
    static TestServer lenient;

    @BeforeAll
    static void start() {
        strict = TestServer.start(strictDir);
        lenient = TestServer.start(lenientDir, Map.of("PARLEY_C2S_ALLOW_PLAINTEXT", "true"));
        strict.createUser("strict-user", "strict-pw");
        lenient.createUser("lenient-user", "lenient-pw");
    }

    @AfterAll
    static void stop() {
        strict.close();
        lenient.close();
    }

    @Test
    void requiredTlsIsTheOnlyFeatureBeforeStartTls() throws Exception {
        try (RawStreamClient raw = RawStreamClient.plain(strict.c2sPort())) {
            Element features = raw.openAndReadFeatures(TestServer.DOMAIN);
            assertThat(features.elements()).hasSize(1);
            Element starttls = features.element("starttls", Namespaces.TLS);
            assertThat(starttls).isNotNull();
            assertThat(starttls.elements()).hasSize(1);
            assertThat(starttls.element("required", Namespaces.TLS)).isNotNull();
        }
    }

    @Test
    void authBeforeRequiredTlsIsRefused() throws Exception {
        try (RawStreamClient raw = RawStreamClient.plain(strict.c2sPort())) {
            raw.openAndReadFeatures(TestServer.DOMAIN);
            Element failure = raw.authPlain("strict-user", "strict-pw");
            assertThat(failure.is("failure", Namespaces.SASL)).as(failure.toXml()).isTrue();
            assertThat(failure.element("encryption-required", Namespaces.SASL)).as(failure.toXml()).isNotNull();
            // SCRAM does not expose the password, but TLS is still mandatory here.
            Element scram = raw.authScram("SCRAM-SHA-256", "strict-user", "strict-pw");
            assertThat(scram.element("encryption-required", Namespaces.SASL)).as(scram.toXml()).isNotNull();
        }
        XMPPTCPConnection other = new Clients(strict).login("strict-user", "strict-pw");
        assertThat(PingManager.getInstanceFor(other).pingMyServer(false)).isTrue();
        other.disconnect();
    }

    @Test
    void afterStartTlsPlainIsOfferedAndWorks() throws Exception {
        try (RawStreamClient raw = RawStreamClient.plain(strict.c2sPort())) {
            raw.openAndReadFeatures(TestServer.DOMAIN);
            Element features = raw.startTls(strict.sslContext(), TestServer.DOMAIN);
            assertThat(features.element("starttls", Namespaces.TLS)).isNull();
            assertThat(mechanisms(features)).containsExactly("SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
            assertThat(raw.authPlain("strict-user", "strict-pw").is("success", Namespaces.SASL)).isTrue();
            raw.restart(TestServer.DOMAIN);
            assertThat(raw.bind("after-starttls").attr("type")).isEqualTo("result");
        }
    }

    @Test
    void plaintextStreamOffersOptionalTlsAndScramOnly() throws Exception {
        try (RawStreamClient raw = RawStreamClient.plain(lenient.c2sPort())) {
            Element features = raw.openAndReadFeatures(TestServer.DOMAIN);
            Element starttls = features.element("starttls", Namespaces.TLS);
            assertThat(starttls).isNotNull();
            assertThat(starttls.element("required", Namespaces.TLS)).isNull();
            assertThat(mechanisms(features)).containsExactly("SCRAM-SHA-256", "SCRAM-SHA-1");
        }
    }

    @Test
    void plainOnPlaintextStreamIsEncryptionRequired() throws Exception {
        try (RawStreamClient raw = RawStreamClient.plain(lenient.c2sPort())) {
            raw.openAndReadFeatures(TestServer.DOMAIN);
            Element failure = raw.authPlain("lenient-user", "lenient-pw");
            assertThat(failure.is("failure", Namespaces.SASL)).as(failure.toXml()).isTrue();
            assertThat(failure.element("encryption-required", Namespaces.SASL)).as(failure.toXml()).isNotNull();
            // The stream stays usable: SCRAM still succeeds on it.
            assertThat(raw.login(TestServer.DOMAIN, "lenient-user", "lenient-pw", "after-plain"))
                    .isEqualTo("lenient-user@localhost/after-plain");
        }
    }

    @Test
    void scramWorksOnPlaintextStream() throws Exception {
        for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-1")) {
            try (RawStreamClient raw = RawStreamClient.plain(lenient.c2sPort())) {
                raw.openAndReadFeatures(TestServer.DOMAIN);
                Element success = raw.authScram(mechanism, "lenient-user", "lenient-pw");
                assertThat(success.is("success", Namespaces.SASL)).as(success.toXml()).isTrue();
                Element features = raw.restart(TestServer.DOMAIN);
                assertThat(features.element("bind", Namespaces.BIND)).isNotNull();
                Element reply = raw.bind(mechanism);
                assertThat(reply.element("bind", Namespaces.BIND).childText("jid", Namespaces.BIND))
                        .isEqualTo("lenient-user@localhost/" + mechanism);
            }
        }
    }

    private static List<String> mechanisms(Element features) {
        return features.element("mechanisms", Namespaces.SASL).elements().stream().map(Element::text).toList();
    }
}
