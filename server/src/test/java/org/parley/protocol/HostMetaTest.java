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

/** XEP-0156 over HTTP: host-meta in XRD and JSON lists the web transports, readable from any origin. */
class HostMetaTest {
    private static final String XRD = "http://docs.oasis-open.org/ns/xri/xrd-1.0";
    private static final String WEBSOCKET = "urn:xmpp:alt-connections:websocket";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers("hm-alice");

    private static HttpResponse<String> get(TestServer s, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + s.server().httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theXrdListsTheWebSocketEndpointUnderThePublicUrl() throws Exception {
        HttpResponse<String> r = get(server.get(), "/.well-known/host-meta");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/xrd+xml"));
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
        Element xrd = XmlStrings.parse(r.body());
        assertThat(xrd.is("XRD", XRD)).isTrue();
        Element link = xrd.element("Link", XRD);
        assertThat(link.attr("rel")).isEqualTo(WEBSOCKET);
        assertThat(link.attr("href")).isEqualTo("wss://localhost:" + server.get().server().httpsPort() + "/xmpp-websocket");
    }

    @Test
    void theJsonListsTheSameAndItsWebSocketUrlWorks() throws Exception {
        HttpResponse<String> r = get(server.get(), "/.well-known/host-meta.json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
        JsonNode links = new ObjectMapper().readTree(r.body()).get("links");
        assertThat(links).hasSize(1);
        assertThat(links.get(0).get("rel").asText()).isEqualTo(WEBSOCKET);
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
            JsonNode link = new ObjectMapper().readTree(get(s, "/.well-known/host-meta.json").body()).get("links").get(0);
            assertThat(link.get("href").asText()).isEqualTo("wss://chat.example/xmpp/xmpp-websocket");
        }
        try (TestServer s = TestServer.start(dir.resolve("b"), Map.of("PARLEY_HTTP_PUBLIC_URL", "http://127.0.0.1:8080",
                "PARLEY_WEBSOCKET_ENABLED", "false"))) {
            assertThat(new ObjectMapper().readTree(get(s, "/.well-known/host-meta.json").body()).get("links")).isEmpty();
            assertThat(get(s, "/xmpp-websocket").statusCode()).isEqualTo(404);
        }
    }
}
