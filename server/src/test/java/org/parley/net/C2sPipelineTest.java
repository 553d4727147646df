package org.parley.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.auth.SaslMechanisms;
import org.parley.c2s.SessionServices;
import org.parley.config.Config;
import org.parley.config.ConfigLoader;
import org.parley.module.Features;
import org.parley.route.Handlers;
import org.parley.route.IqTracker;
import org.parley.route.LocalDirectory;
import org.parley.route.Router;
import org.parley.xml.XmlLimits;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xmpp.Jid;

/**
 * The client pipeline as the listener builds it, with a real session behind it: negotiation driven
 * byte by byte through an {@link EmbeddedChannel}.
 */
class C2sPipelineTest {
    private static final String HEADER = "<?xml version='1.0'?><stream:stream to='localhost' version='1.0' "
            + "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

    private EmbeddedChannel channel;
    private final java.util.concurrent.ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void setUp() throws Exception {
        Config config = ConfigLoader.load(null, Map.of("PARLEY_C2S_ALLOW_PLAINTEXT", "true",
                "PARLEY_AUTH_SASL_FAILURE_DELAY", "0s", "PARLEY_DATA_DIR", "/nonexistent"), java.util.List.of());
        Jid server = Jid.domain("localhost");
        Handlers handlers = new Handlers();
        LocalDirectory directory = new LocalDirectory();
        Router router = new Router(server, directory, handlers, u -> false, new IqTracker(scheduler));
        SessionServices services = new SessionServices(config, server, router, directory, handlers, new Features(),
                new SaslMechanisms((user, alg) -> Optional.empty(), "localhost"), Runnable::run, scheduler,
                java.util.concurrent.ConcurrentHashMap.newKeySet(), new org.parley.c2s.ClientAddresses(100),
                new org.parley.auth.AuthThrottle(5, 10, java.time.Duration.ofSeconds(1), java.time.Duration.ofMinutes(1),
                        java.time.Duration.ofHours(1), java.time.Clock.systemUTC()),
                new org.parley.c2s.InboundBudget(config.c2s().maxQueuedBytes()), new org.parley.c2s.LoginAdmission(8, 100));
        channel = new EmbeddedChannel(false, false);
        new C2sListener(services, null, false).pipeline(channel, new XmlStreamDecoder(XmlLimits.defaults()));
        channel.register();
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        scheduler.shutdownNow();
    }

    private String exchange(String clientXml) {
        Wire.in(channel, clientXml);
        return Wire.out(channel);
    }

    @Test
    void offersScramWithoutPlainOnAnUnencryptedStream() {
        String out = exchange(HEADER);
        assertThat(out).startsWith("<?xml version='1.0'?><stream:stream xmlns=\"jabber:client\"");
        assertThat(out).contains("<stream:features><mechanisms xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\">"
                + "<mechanism>SCRAM-SHA-256</mechanism><mechanism>SCRAM-SHA-1</mechanism></mechanisms>");
        assertThat(out).doesNotContain("PLAIN").doesNotContain("starttls");
    }

    @Test
    void plainOnAnUnencryptedStreamNeedsEncryption() {
        exchange(HEADER);
        assertThat(exchange("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGEAYg==</auth>"))
                .isEqualTo("<failure xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"><encryption-required/></failure>");
    }

    @Test
    void unknownMechanismIsInvalid() {
        exchange(HEADER);
        assertThat(exchange("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='X-NONE'/>"))
                .isEqualTo("<failure xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"><invalid-mechanism/></failure>");
    }

    @Test
    void stanzaBeforeAuthenticationEndsTheStream() {
        exchange(HEADER);
        String out = exchange("<message to='a@localhost'><body>x</body></message>");
        assertThat(out).isEqualTo("<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                + "</stream:error></stream:stream>");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void startTlsWhereItIsNotOfferedFailsAndEndsTheStream() {
        exchange(HEADER);
        // RFC 6120 §5.4.2.2: <failure/>, then the stream and the TCP connection are closed.
        assertThat(exchange("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"))
                .isEqualTo("<failure xmlns=\"urn:ietf:params:xml:ns:xmpp-tls\"/></stream:stream>");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void wrongDomainIsHostUnknownAfterOurOwnHeader() {
        String out = exchange(HEADER.replace("to='localhost'", "to='example.org'"));
        assertThat(out).startsWith("<?xml version='1.0'?><stream:stream");
        assertThat(out).contains("<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>");
        assertThat(out).endsWith("</stream:stream>");
    }

    @Test
    void doctypeIsRestrictedXml() {
        String out = exchange("<?xml version='1.0'?><!DOCTYPE foo [<!ENTITY x 'y'>]>" + HEADER.substring(21));
        assertThat(out).contains("<restricted-xml xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>");
        assertThat(out).endsWith("</stream:stream>");
    }
}
