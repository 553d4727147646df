package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.module.Module;
import org.parley.testing.HttpTestModule;
import org.parley.testing.TestServer;

/**
 * The HTTP listener of a real server on loopback, driven by the JDK's HTTP client: routes a
 * module adds through its ModuleContext, keep-alive, TLS with the server's certificate, the JSON
 * errors, the public URL, the operator's endpoints, and two servers side by side.
 */
class HttpServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> HTTP = Map.of("PARLEY_HTTP_MAX_REQUEST_LINE_BYTES", "1024",
            "PARLEY_HTTP_MAX_HEADER_BYTES", "2048", "PARLEY_HTTP_MAX_BODY_BYTES", "4096",
            "PARLEY_HTTP_HEADER_TIMEOUT", "2s", "PARLEY_HTTP_IDLE_TIMEOUT", "5s");

    @TempDir
    static Path dir;
    static TestServer server;
    static TestServer other;

    @BeforeAll
    static void start() throws Exception {
        Path file = Files.write(dir.resolve("file.bin"), new byte[] {1, 2, 3});
        server = TestServer.start(dir.resolve("a"), HTTP, modules("a", file));
        other = TestServer.start(dir.resolve("b"), HTTP, modules("b", file));
    }

    static List<Module> modules(String label, Path file) {
        List<Module> modules = new ArrayList<>(Server.defaultModules());
        modules.add(new HttpTestModule(label, file));
        return modules;
    }

    @AfterAll
    static void stop() {
        server.close();
        other.close();
    }

    private static HttpClient plain() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    private static URI url(TestServer s, String path) {
        return URI.create("http://127.0.0.1:" + s.server().httpPort() + path);
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        return JSON.readTree(r.body());
    }

    @Test
    void aModuleRouteAnswersWithJson() throws Exception {
        HttpResponse<String> r = get(plain(), url(server, "/test/hello/w%C3%B6rld"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("hello").asText()).isEqualTo("wörld");
        assertThat(json(r).get("secure").asBoolean()).isFalse();
    }

    @Test
    void aKeptAliveConnectionServesTheNextRequest() throws Exception {
        HttpClient client = plain();

        int first = json(get(client, url(server, "/test/hello/1"))).get("clientPort").asInt();
        int second = json(get(client, url(server, "/test/hello/2"))).get("clientPort").asInt();

        assertThat(second).as("the same connection, so the same client port").isEqualTo(first);
    }

    @Test
    void aBufferedBodyReachesTheHandler() throws Exception {
        HttpResponse<String> r = plain().send(HttpRequest.newBuilder(url(server, "/test/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":[1,2]}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("a").get(1).asInt()).isEqualTo(2);
    }

    @Test
    void malformedJsonIsA400() throws Exception {
        HttpResponse<String> r = plain().send(HttpRequest.newBuilder(url(server, "/test/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("{nope")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).isEqualTo("bad-request");
    }

    @Test
    void aBufferedBodyOverTheLimitIsA413() throws Exception {
        HttpResponse<String> r = plain().send(HttpRequest.newBuilder(url(server, "/test/echo")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(5000))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).get("error").asText()).isEqualTo("content-too-large");
        assertThat(json(r).get("message").asText()).contains("4096");
    }

    @Test
    void unknownPathsAndMethodsAreJsonErrors() throws Exception {
        HttpResponse<String> missing = get(plain(), url(server, "/nothing/here"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).isEqualTo("not-found");

        HttpResponse<String> wrong = plain().send(HttpRequest.newBuilder(url(server, "/test/hello/x"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("allow")).hasValue("GET, HEAD, OPTIONS");
        assertThat(json(wrong).get("error").asText()).isEqualTo("method-not-allowed");
    }

    @Test
    void headAnswersLikeGetWithoutABody() throws Exception {
        HttpResponse<String> r = plain().send(HttpRequest.newBuilder(url(server, "/test/hello/x"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValueAsLong("content-length").orElseThrow()).isPositive();
    }

    @Test
    void theTlsPortServesWithTheServersCertificate() throws Exception {
        HttpClient tls = HttpClient.newBuilder().sslContext(server.sslContext()).build();

        HttpResponse<String> r = get(tls, URI.create("https://localhost:" + server.server().httpsPort()
                + "/test/hello/tls"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(json(r).get("secure").asBoolean()).isTrue();
        assertThat(r.sslSession().orElseThrow().getPeerCertificates()[0]).isEqualTo(server.certificate());
    }

    @Test
    void alpnSelectsHttp11() throws Exception {
        try (SSLSocket s = (SSLSocket) server.sslContext().getSocketFactory().createSocket("127.0.0.1",
                server.server().httpsPort())) {
            SSLParameters p = s.getSSLParameters();
            p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            s.setSSLParameters(p);
            s.startHandshake();

            assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
        }
    }

    @Test
    void thePublicUrlDefaultsToTheDomainAndTheTlsPort() throws Exception {
        JsonNode r = json(get(plain(), url(server, "/test/link/abc")));

        assertThat(r.get("url").asText()).isEqualTo("https://localhost:" + server.server().httpsPort() + "/upload/abc");
        assertThat(server.server().http().publicUrl()).hasToString("https://localhost:" + server.server().httpsPort());
    }

    @Test
    void healthAndMetricsAreServedOnTheLoopbackListener() throws Exception {
        HttpResponse<String> health = get(plain(), url(server, "/health"));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).get("status").asText()).isEqualTo("up");

        HttpResponse<String> metrics = get(plain(), url(server, "/metrics"));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void twoServersServeTheirOwnRoutesOnTheirOwnPorts() throws Exception {
        assertThat(other.server().httpPort()).isNotEqualTo(server.server().httpPort());
        assertThat(other.server().httpsPort()).isNotEqualTo(server.server().httpsPort());

        assertThat(json(get(plain(), url(server, "/test/hello/x"))).get("server").asText()).isEqualTo("a");
        assertThat(json(get(plain(), url(other, "/test/hello/x"))).get("server").asText()).isEqualTo("b");
        assertThat(other.server().http().publicUrl()).isNotEqualTo(server.server().http().publicUrl());
    }
}
