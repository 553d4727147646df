package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.Clients;
import org.parley.testing.Coturn;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;

/**
 * XEP-0215: the server names its STUN and TURN servers and hands out TURN credentials that a real
 * coturn, configured with the same shared secret, accepts while they are fresh and genuine.
 */
class ExternalServicesTest {
    private static final String NS = "urn:xmpp:extdisco:2";
    private static final String SECRET = "parley-test-" + Long.toHexString(System.nanoTime());
    private static final Duration TTL = Duration.ofHours(1);

    private static Coturn coturn;
    private static Path dir;
    private static TestServer server;
    private static Clients clients;

    @BeforeAll
    static void start() throws Exception {
        coturn = Coturn.start(SECRET);
        dir = Files.createTempDirectory("parley-extdisco");
        int port = coturn.port();
        server = TestServer.start(dir, Map.of(
                "PARLEY_EXTDISCO_SERVICES", "stun:127.0.0.1:" + port + ", turn:127.0.0.1:" + port + "?transport=udp",
                "PARLEY_EXTDISCO_SECRET", SECRET,
                "PARLEY_EXTDISCO_TTL", "1h"));
        server.createUser("romeo", "romeo-pw");
        server.createUser("juliet", "juliet-pw");
        clients = new Clients(server);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (coturn != null) {
                coturn.close();
            }
        }
    }

    private static IQ get(String element, String attrs, String innerXml) {
        return ImClients.rawIq(IQ.Type.get, element, NS, JidCreate.domainBareFromOrThrowUnchecked("localhost"), attrs,
                innerXml);
    }

    /** The child of the result; Smack has no XEP-0215 provider, so it keeps the XML unparsed. */
    private static Element send(XMPPConnection c, IQ iq) throws Exception {
        UnparsedIQ result = (UnparsedIQ) c.createStanzaCollectorAndSend(iq).nextResultOrThrow();
        return XmlStrings.parse(result.getContent().toString());
    }

    private static List<Element> services(XMPPConnection c, String attrs) throws Exception {
        return send(c, get("services", attrs, "")).elements("service", NS);
    }

    private static Element turn(List<Element> services) {
        return services.stream().filter(s -> "turn".equals(s.attr("type"))).findFirst().orElseThrow();
    }

    private static String hmac(String username) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theServerAnnouncesAndListsItsStunAndTurnServers() throws Exception {
        XMPPTCPConnection c = clients.login("romeo", "romeo-pw");
        try {
            assertThat(ServiceDiscoveryManager.getInstanceFor(c).serverSupportsFeature(NS)).isTrue();
            Instant before = Instant.now();

            List<Element> services = services(c, "");

            assertThat(services).extracting(s -> s.attr("type")).containsExactly("stun", "turn");
            Element stun = services.get(0);
            assertThat(stun.attr("host")).isEqualTo("127.0.0.1");
            assertThat(stun.attr("port")).isEqualTo(Integer.toString(coturn.port()));
            assertThat(stun.attr("username")).isNull();
            Element turn = turn(services);
            assertThat(turn.attr("transport")).isEqualTo("udp");
            assertThat(turn.attr("restricted")).isEqualTo("1");
            // The TURN REST API scheme: <expiry>:<user>, HMAC-SHA1 of it with the shared secret.
            String[] username = turn.attr("username").split(":", 2);
            assertThat(username[1]).isEqualTo("romeo");
            Instant expires = Instant.parse(turn.attr("expires"));
            assertThat(expires.getEpochSecond()).isEqualTo(Long.parseLong(username[0]));
            assertThat(expires).isBetween(before.plus(TTL).minusSeconds(1), Instant.now().plus(TTL).plusSeconds(1));
            assertThat(turn.attr("password")).isEqualTo(hmac(turn.attr("username")));
        } finally {
            c.disconnect();
        }
    }

    @Test
    void issuedCredentialsWorkWithCoturnAndExpiredOrForgedOnesDoNot() throws Exception {
        XMPPTCPConnection c = clients.login("juliet", "juliet-pw");
        try {
            Element turn = turn(services(c, ""));
            String username = turn.attr("username");
            String password = turn.attr("password");

            assertThat(coturn.allocate(username, password)).as("issued credentials").isTrue();
            // Another user's name with Juliet's password: the HMAC no longer matches.
            assertThat(coturn.allocate(username.replace(":juliet", ":romeo"), password)).as("forged").isFalse();
            // Signed with the right secret, but its time is past.
            String expired = (Instant.now().getEpochSecond() - 60) + ":juliet";
            assertThat(coturn.allocate(expired, hmac(expired))).as("expired").isFalse();
        } finally {
            c.disconnect();
        }
    }

    @Test
    void servicesOfOneTypeAndCredentialsForOneService() throws Exception {
        XMPPTCPConnection c = clients.login("romeo", "romeo-pw");
        try {
            assertThat(services(c, " type='stun'")).extracting(s -> s.attr("type")).containsExactly("stun");

            Element credentials = send(c, get("credentials", "", "<service host='127.0.0.1' type='turn'/>"));
            Element service = credentials.element("service", NS);
            assertThat(service.attr("username")).endsWith(":romeo");
            assertThat(service.attr("password")).isEqualTo(hmac(service.attr("username")));

            StanzaError unknown = catchThrowableOfType(XMPPErrorException.class, () -> c.createStanzaCollectorAndSend(
                    get("credentials", "", "<service host='turn.elsewhere.example' type='turn'/>")).nextResultOrThrow())
                    .getStanzaError();
            assertThat(unknown.getCondition()).isEqualTo(StanzaError.Condition.item_not_found);
        } finally {
            c.disconnect();
        }
    }
}
