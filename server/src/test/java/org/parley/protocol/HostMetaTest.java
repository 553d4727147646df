package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.testing.WebSocketClient;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Namespaces;

/** XEP-0156 over HTTP: host-meta in XRD and JSON lists the web transports (WebSocket, BOSH), readable from any origin. */
class HostMetaTest {
    private static final String XRD = "http://docs.oasis-open.org/ns/xri/xrd-1.0";
    private static final String WEBSOCKET = "urn:xmpp:alt-connections:websocket";
    private static final String BOSH = "urn:xmpp:alt-connections:xbosh";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers("hm-alice");

    private static HttpResponse<String> get(TestServer s, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + s.server().httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theXrdListsTheWebSocketAndBoshEndpointsUnderThePublicUrl() throws Exception {
        HttpResponse<String> r = get(server.get(), "/.well-known/host-meta");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/xrd+xml"));
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
        Element xrd = XmlStrings.parse(r.body());
        assertThat(xrd.is("XRD", XRD)).isTrue();
        var links = xrd.elements("Link", XRD);
        assertThat(links).hasSize(2);
        assertThat(links.get(0).attr("rel")).isEqualTo(WEBSOCKET);
        assertThat(links.get(0).attr("href")).isEqualTo("wss://localhost:" + server.get().server().httpsPort()
                + "/xmpp-websocket");
        assertThat(links.get(1).attr("rel")).isEqualTo(BOSH);
        assertThat(links.get(1).attr("href")).isEqualTo("https://localhost:" + server.get().server().httpsPort()
                + "/http-bind");
    }

    @Test
    void theJsonListsTheSameAndItsWebSocketUrlWorks() throws Exception {
        HttpResponse<String> r = get(server.get(), "/.well-known/host-meta.json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
        JsonNode links = new ObjectMapper().readTree(r.body()).get("links");
        assertThat(links).hasSize(2);
        assertThat(links.get(0).get("rel").asText()).isEqualTo(WEBSOCKET);
        assertThat(links.get(1).get("rel").asText()).isEqualTo(BOSH);
        assertThat(links.get(1).get("href").asText()).endsWith("/http-bind");
        URI url = URI.create(links.get(0).get("href").asText());

        // Over the TLS port the stream counts as encrypted: PLAIN is offered, and works.
        try (WebSocketClient c = WebSocketClient.connectTls(server.get(), url)) {
            Element features = c.openAndReadFeatures(TestServer.DOMAIN);
            assertThat(features.element("mechanisms", Namespaces.SASL).elements().stream().map(Element::text))
                    .contains("PLAIN");
        }
    }

    @Test
    void aCorsPreflightIsAnswered() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.get().server().httpPort() + "/.well-known/host-meta.json"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://web.example")
                .header("Access-Control-Request-Method", "GET").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(r.headers().firstValue("access-control-allow-methods")).hasValueSatisfying(m -> assertThat(m).contains("GET"));
    }

    @Test
    void linksFollowTheConfiguredPublicUrlAndOnlyEnabledTransportsAreListed(@TempDir Path dir) throws Exception {
        try (TestServer s = TestServer.start(dir.resolve("a"), Map.of("PARLEY_HTTP_PUBLIC_URL", "https://chat.example/xmpp/"))) {
            JsonNode links = new ObjectMapper().readTree(get(s, "/.well-known/host-meta.json").body()).get("links");
            assertThat(links.get(0).get("href").asText()).isEqualTo("wss://chat.example/xmpp/xmpp-websocket");
            assertThat(links.get(1).get("href").asText()).isEqualTo("https://chat.example/xmpp/http-bind");
        }
        try (TestServer s = TestServer.start(dir.resolve("b"), Map.of("PARLEY_HTTP_PUBLIC_URL", "http://127.0.0.1:8080",
                "PARLEY_WEBSOCKET_ENABLED", "false", "PARLEY_BOSH_ENABLED", "false"))) {
            assertThat(new ObjectMapper().readTree(get(s, "/.well-known/host-meta.json").body()).get("links")).isEmpty();
            assertThat(get(s, "/xmpp-websocket").statusCode()).isEqualTo(404);
            assertThat(get(s, "/http-bind").statusCode()).isEqualTo(404);
        }
    }
}
