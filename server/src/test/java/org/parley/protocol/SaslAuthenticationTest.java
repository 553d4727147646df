package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.sasl.SASLError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.testing.SmackScramSha256;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * SASL authentication (RFC 6120 §6, RFC 5802, RFC 7677, RFC 4616) as Smack and a raw client see it,
 * over STARTTLS and over direct TLS (XEP-0368).
 */
class SaslAuthenticationTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers("bystander")
            .withUser("sasl-user", "s3cret pass")
            .withUser("raw-user", "raw-pw")
            .withUser("guesser-target", "right-pw");

    @BeforeAll
    static void registerScramSha256() {
        SmackScramSha256.register();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"})
    void logsInOverStartTls(String mechanism) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(server.clients().builder()
                .setUsernameAndPassword("sasl-user", "s3cret pass")
                .setResource("starttls-" + mechanism)
                .addEnabledSaslMechanism(mechanism)
                .build());
        assertLoggedIn(c, mechanism, "starttls-" + mechanism, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"})
    void logsInOverDirectTls(String mechanism) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(directTls()
                .setUsernameAndPassword("sasl-user", "s3cret pass")
                .setResource("direct-" + mechanism)
                .addEnabledSaslMechanism(mechanism)
                .build());
        // Smack cannot tell that its socket factory made the connection TLS, so it reports it insecure.
        assertLoggedIn(c, mechanism, "direct-" + mechanism, false);
    }

    @Test
    void directTlsFeaturesOfferPlainAndNoStartTls() throws Exception {
        try (RawStreamClient raw = RawStreamClient.directTls(server.get())) {
            Element features = raw.openAndReadFeatures(TestServer.DOMAIN);
            assertThat(features.element("starttls", Namespaces.TLS)).isNull();
            assertThat(mechanisms(features)).containsExactly("SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"})
    void wrongPasswordIsNotAuthorized(String mechanism) throws Exception {
        assertThat(smackLoginFailure("sasl-user", "wrong", mechanism).getSASLFailure().getSASLError())
                .isEqualTo(SASLError.not_authorized);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"})
    void unknownUserIsNotAuthorized(String mechanism) throws Exception {
        assertThat(smackLoginFailure("nobody-here", "whatever", mechanism).getSASLFailure().getSASLError())
                .isEqualTo(SASLError.not_authorized);
    }

    @Test
    void unknownUserLooksLikeWrongPasswordOnTheWire() throws Exception {
        try (RawStreamClient known = RawStreamClient.directTls(server.get());
             RawStreamClient unknown = RawStreamClient.directTls(server.get())) {
            known.openAndReadFeatures(TestServer.DOMAIN);
            unknown.openAndReadFeatures(TestServer.DOMAIN);

            // SCRAM: the server-first message for an unknown user has the same shape and iteration count.
            Map<String, String> knownFirst = serverFirst(known, "raw-user");
            Map<String, String> unknownFirst = serverFirst(unknown, "no-such-user");
            assertThat(unknownFirst.keySet()).isEqualTo(knownFirst.keySet());
            assertThat(unknownFirst.get("i")).isEqualTo(knownFirst.get("i"));
            assertThat(Base64.getDecoder().decode(unknownFirst.get("s")))
                    .hasSameSizeAs(Base64.getDecoder().decode(knownFirst.get("s")));
            known.send("<abort xmlns='" + Namespaces.SASL + "'/>");
            unknown.send("<abort xmlns='" + Namespaces.SASL + "'/>");
            assertThat(known.element().toXml()).isEqualTo(unknown.element().toXml());

            Element wrongPassword = known.authPlain("raw-user", "wrong");
            Element noSuchUser = unknown.authPlain("no-such-user", "wrong");
            assertThat(wrongPassword.element("not-authorized", Namespaces.SASL)).isNotNull();
            assertThat(noSuchUser.toXml()).isEqualTo(wrongPassword.toXml());
        }
    }

    @Test
    void rawScramSha256ThenBindOverDirectTls() throws Exception {
        try (RawStreamClient raw = RawStreamClient.directTls(server.get())) {
            raw.openAndReadFeatures(TestServer.DOMAIN);
            assertThat(raw.login(TestServer.DOMAIN, "raw-user", "raw-pw", "raw")).isEqualTo("raw-user@localhost/raw");
        }
    }

    @Test
    void rawPlainThenBindOverDirectTls() throws Exception {
        try (RawStreamClient raw = RawStreamClient.directTls(server.get())) {
            raw.openAndReadFeatures(TestServer.DOMAIN);
            Element success = raw.authPlain("raw-user", "raw-pw");
            assertThat(success.is("success", Namespaces.SASL)).as(success.toXml()).isTrue();
            Element features = raw.restart(TestServer.DOMAIN);
            assertThat(features.element("bind", Namespaces.BIND)).isNotNull();
            assertThat(features.element("mechanisms", Namespaces.SASL)).isNull();
            Element reply = raw.bind("plain");
            assertThat(reply.attr("type")).isEqualTo("result");
            assertThat(reply.element("bind", Namespaces.BIND).childText("jid", Namespaces.BIND))
                    .isEqualTo("raw-user@localhost/plain");
        }
    }

    @Test
    void threeFailuresEndTheStreamWithPolicyViolation() throws Exception {
        XMPPTCPConnection bystander = server.clients().login("bystander", "bystander-pw");
        try (RawStreamClient raw = RawStreamClient.directTls(server.get())) {
            raw.openAndReadFeatures(TestServer.DOMAIN);
            for (int i = 0; i < 3; i++) {
                Element failure = raw.authPlain("guesser-target", "guess-" + i);
                assertThat(failure.is("failure", Namespaces.SASL)).as(failure.toXml()).isTrue();
                assertThat(failure.element("not-authorized", Namespaces.SASL)).as(failure.toXml()).isNotNull();
            }
            Element error = raw.element();
            assertThat(error.is("error", Namespaces.STREAMS)).as(error.toXml()).isTrue();
            assertThat(error.element("policy-violation", Namespaces.STREAM_ERRORS)).as(error.toXml()).isNotNull();
            raw.expectClosed();
            assertThat(PingManager.getInstanceFor(bystander).pingMyServer(false)).isTrue();
        } finally {
            bystander.disconnect();
        }
        // The account itself is not locked: the right password still works on a new stream.
        server.clients().login("guesser-target", "right-pw").disconnect();
    }

    @Test
    void twoFailuresStillAllowASuccessfulThirdAttempt() throws Exception {
        try (RawStreamClient raw = RawStreamClient.directTls(server.get())) {
            raw.openAndReadFeatures(TestServer.DOMAIN);
            assertThat(raw.authPlain("raw-user", "nope-1").element("not-authorized", Namespaces.SASL)).isNotNull();
            assertThat(raw.authScram("SCRAM-SHA-1", "raw-user", "nope-2").element("not-authorized", Namespaces.SASL))
                    .isNotNull();
            assertThat(raw.login(TestServer.DOMAIN, "raw-user", "raw-pw", "third")).isEqualTo("raw-user@localhost/third");
        }
    }

    @Test
    void authWithoutInitialResponseGetsAnEmptyChallenge() throws Exception {
        try (RawStreamClient raw = RawStreamClient.directTls(server.get())) {
            raw.openAndReadFeatures(TestServer.DOMAIN);
            raw.send("<auth xmlns='" + Namespaces.SASL + "' mechanism='PLAIN'/>");
            Element challenge = raw.element();
            assertThat(challenge.is("challenge", Namespaces.SASL)).as(challenge.toXml()).isTrue();
            assertThat(challenge.text()).isEmpty();
            raw.send("<response xmlns='" + Namespaces.SASL + "'>"
                    + Base64.getEncoder().encodeToString("\0raw-user\0raw-pw".getBytes(StandardCharsets.UTF_8)) + "</response>");
            Element success = raw.element();
            assertThat(success.is("success", Namespaces.SASL)).as(success.toXml()).isTrue();
        }
    }

    @Test
    void emptyResponseToTheEmptyChallengeIsMalformedRequest() throws Exception {
        for (String mechanism : List.of("PLAIN", "SCRAM-SHA-256")) {
            try (RawStreamClient raw = RawStreamClient.directTls(server.get())) {
                raw.openAndReadFeatures(TestServer.DOMAIN);
                raw.send("<auth xmlns='" + Namespaces.SASL + "' mechanism='" + mechanism + "'/>");
                assertThat(raw.element().is("challenge", Namespaces.SASL)).isTrue();
                raw.send("<response xmlns='" + Namespaces.SASL + "'/>");
                Element failure = raw.element();
                assertThat(failure.is("failure", Namespaces.SASL)).as(failure.toXml()).isTrue();
                assertThat(failure.element("malformed-request", Namespaces.SASL)).as(failure.toXml()).isNotNull();
            }
        }
    }

    @Test
    void unknownMechanismIsInvalidMechanism() throws Exception {
        try (RawStreamClient raw = RawStreamClient.directTls(server.get())) {
            raw.openAndReadFeatures(TestServer.DOMAIN);
            raw.send("<auth xmlns='" + Namespaces.SASL + "' mechanism='DIGEST-MD5'/>");
            Element failure = raw.element();
            assertThat(failure.is("failure", Namespaces.SASL)).isTrue();
            assertThat(failure.element("invalid-mechanism", Namespaces.SASL)).as(failure.toXml()).isNotNull();
        }
    }

    private static Map<String, String> serverFirst(RawStreamClient raw, String user) throws Exception {
        raw.send("<auth xmlns='" + Namespaces.SASL + "' mechanism='SCRAM-SHA-256'>"
                + Base64.getEncoder().encodeToString(("n,,n=" + user + ",r=abcdefghijklmnop").getBytes(StandardCharsets.UTF_8))
                + "</auth>");
        Element challenge = raw.element();
        assertThat(challenge.is("challenge", Namespaces.SASL)).as(challenge.toXml()).isTrue();
        String first = new String(Base64.getDecoder().decode(challenge.text().trim()), StandardCharsets.UTF_8);
        Map<String, String> attrs = new LinkedHashMap<>();
        for (String pair : first.split(",")) {
            attrs.put(pair.substring(0, 1), pair.substring(2));
        }
        assertThat(attrs.get("r")).startsWith("abcdefghijklmnop");
        return attrs;
    }

    private static List<String> mechanisms(Element features) {
        return features.element("mechanisms", Namespaces.SASL).elements().stream().map(Element::text).toList();
    }

    private static XMPPTCPConnectionConfiguration.Builder directTls() {
        // Smack 4.4's XMPPTCPConnection has no direct TLS mode, but it connects through any socket
        // factory: an SSLSocketFactory makes the stream TLS from the first byte, and STARTTLS is off.
        return server.clients().builder()
                .setPort(server.get().directTlsPort())
                .setSecurityMode(SecurityMode.disabled)
                .setSocketFactory(server.get().sslContext().getSocketFactory());
    }

    private static SASLErrorException smackLoginFailure(String user, String password, String mechanism) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(server.clients().builder()
                .setUsernameAndPassword(user, password)
                .addEnabledSaslMechanism(mechanism)
                .build());
        c.setReplyTimeout(5000);
        try {
            c.connect();
            SASLErrorException e = catchThrowableOfType(SASLErrorException.class, c::login);
            assertThat(e).as("login must fail").isNotNull();
            assertThat(e.getMechanism()).isEqualTo(mechanism);
            return e;
        } finally {
            c.disconnect();
        }
    }

    private static void assertLoggedIn(XMPPTCPConnection c, String mechanism, String resource, boolean startTls)
            throws Exception {
        c.setReplyTimeout(5000);
        try {
            c.connect().login();
            assertThat(c.isSecureConnection()).isEqualTo(startTls);
            assertThat(c.isAuthenticated()).isTrue();
            assertThat(c.getUsedSaslMechansism()).isEqualTo(mechanism);
            assertThat(c.getUser().toString()).isEqualTo("sasl-user@localhost/" + resource);
            assertThat(PingManager.getInstanceFor(c).pingMyServer(false)).isTrue();
        } finally {
            c.disconnect();
        }
    }
}
