package org.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.config.ConfigLoader;
import org.parley.config.HttpSettings;

/** The HTTP pipeline on an {@code EmbeddedChannel}: bytes in, bytes out, handlers run inline. */
class HttpPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpSettings settings = ConfigLoader.load(null, Map.of("PARLEY_HTTP_MAX_REQUEST_LINE_BYTES", "256",
            "PARLEY_HTTP_MAX_HEADER_BYTES", "1024", "PARLEY_HTTP_MAX_BODY_BYTES", "64"), List.of()).http();
    private final HttpRoutes routes = new HttpRoutes(settings);
    private EmbeddedChannel ch;

    @BeforeEach
    void routes() {
        routes.route(HttpMethod.GET, "/hello/{name}", r -> Response.json(Map.of("hello", r.param("name"),
                "q", String.valueOf(r.query("q")))));
        routes.route(HttpMethod.GET, "/hello/world", r -> Response.text(HttpResponseStatus.OK, "text/plain", "literal"));
        routes.route(HttpMethod.POST, "/echo", r -> Response.bytes(HttpResponseStatus.OK, "application/octet-stream",
                r.body().bytes()));
        routes.route(HttpMethod.GET, "/fail", r -> {
            throw new IllegalStateException("boom");
        });
        routes.route(HttpMethod.GET, "/gone", r -> {
            throw new HttpError(HttpResponseStatus.GONE, "it went");
        });
        routes.seal();
        ch = new EmbeddedChannel();
        new HttpListener(routes, settings, null, Runnable::run, Clock.systemUTC()).initPipeline(ch);
    }

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    /** Writes raw request bytes and returns the raw response bytes, once every task has run. */
    private String send(String raw) {
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 5; i++) {
            ch.runPendingTasks();
        }
        StringBuilder out = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    record Reply(int status, Map<String, String> headers, String body) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    /** Splits a byte stream into responses (Content-Length bodies only). */
    private static List<Reply> parse(String raw) {
        List<Reply> replies = new ArrayList<>();
        int at = 0;
        while (at < raw.length()) {
            int end = raw.indexOf("\r\n\r\n", at);
            String[] lines = raw.substring(at, end).split("\r\n");
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            boolean head = lines[0].contains(" HEAD-REPLY");
            String body = raw.substring(end + 4, end + 4 + (head ? 0 : length));
            replies.add(new Reply(Integer.parseInt(lines[0].split(" ")[1]), headers,
                    new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)));
            at = end + 4 + length;
        }
        return replies;
    }

    private Reply one(String raw) {
        List<Reply> replies = parse(send(raw));
        assertThat(replies).hasSize(1);
        return replies.get(0);
    }

    private static void assertJsonError(Reply r, int status, String error) throws Exception {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.headers().get("content-type")).isEqualTo("application/json");
        assertThat(r.json().get("error").asText()).isEqualTo(error);
        assertThat(r.json().get("message").asText()).isNotBlank();
    }

    @Test
    void aRouteGetsItsDecodedParametersAndQuery() throws Exception {
        Reply r = one("GET /hello/J%C3%BCrgen%20+%2F?q=a+b%26 HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("hello").asText()).isEqualTo("Jürgen +/");
        assertThat(r.json().get("q").asText()).isEqualTo("a b&");
        assertThat(r.headers()).containsKey("date");
        assertThat(ch.isActive()).as("kept alive").isTrue();
    }

    @Test
    void aLiteralSegmentBeatsAParameter() {
        assertThat(one("GET /hello/world HTTP/1.1\r\nHost: x\r\n\r\n").body()).isEqualTo("literal");
    }

    @Test
    void anUnknownPathIsA404InJson() throws Exception {
        assertJsonError(one("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"), 404, "not-found");
        assertThat(ch.isActive()).isTrue();
    }

    @Test
    void aWrongMethodIsA405WithAllow() throws Exception {
        Reply r = one("DELETE /hello/x HTTP/1.1\r\nHost: x\r\n\r\n");

        assertJsonError(r, 405, "method-not-allowed");
        assertThat(r.headers().get("allow")).isEqualTo("GET, HEAD, OPTIONS");
    }

    @Test
    void optionsListsTheMethods() {
        Reply r = one("OPTIONS /echo HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(r.status()).isEqualTo(204);
        assertThat(r.headers().get("allow")).isEqualTo("OPTIONS, POST");
    }

    @Test
    void headIsGetWithoutTheBody() {
        String raw = send("HEAD /hello/x HTTP/1.1\r\nHost: x\r\n\r\nGET /hello/y HTTP/1.1\r\nHost: x\r\n\r\n");

        // The HEAD reply has GET's Content-Length but no body: the next reply follows its header at once.
        int second = raw.indexOf("HTTP/1.1", 1);
        String head = raw.substring(0, second);
        assertThat(head).startsWith("HTTP/1.1 200").contains("content-length: 24").endsWith("\r\n\r\n");
        assertThat(parse(raw.substring(second)).get(0).body()).contains("\"y\"");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        String raw = send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
                + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n");

        List<Reply> replies = parse(raw);
        assertThat(replies).extracting(Reply::status).containsExactly(200, 404, 200);
        assertThat(replies.get(0).body()).isEqualTo("one");
        assertThat(replies.get(2).body()).isEqualTo("two");
    }

    @Test
    void aHandlerFailureIsA500InJson() throws Exception {
        Reply r = one("GET /fail HTTP/1.1\r\nHost: x\r\n\r\n");

        assertJsonError(r, 500, "internal-error");
        assertThat(r.body()).doesNotContain("boom");
    }

    @Test
    void anHttpErrorIsAnsweredWithItsStatus() throws Exception {
        assertJsonError(one("GET /gone HTTP/1.1\r\nHost: x\r\n\r\n"), 410, "gone");
    }

    @Test
    void aBodyOverTheLimitIsA413AndTheConnectionCloses() throws Exception {
        Reply r = one("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 65\r\n\r\n");

        assertJsonError(r, 413, "content-too-large");
        assertThat(r.headers().get("connection")).isEqualTo("close");
    }

    @Test
    void aChunkedBodyOverTheLimitIsA413() throws Exception {
        Reply r = one("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n" + "a".repeat(64)
                + "\r\n1\r\nb\r\n");

        assertJsonError(r, 413, "content-too-large");
    }

    @Test
    void aTooLongRequestLineIsA414() throws Exception {
        Reply r = one("GET /" + "a".repeat(300) + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertJsonError(r, 414, "uri-too-long");
        assertThat(ch.isActive()).isFalse();
    }

    @Test
    void tooManyHeaderBytesAreA431() throws Exception {
        assertJsonError(one("GET /hello/x HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(1100) + "\r\n\r\n"), 431,
                "request-header-fields-too-large");
        assertThat(ch.isActive()).isFalse();
    }

    @Test
    void garbageIsA400AndTheConnectionCloses() throws Exception {
        assertJsonError(one("HELLO THERE\r\n\r\n"), 400, "bad-request");
        assertThat(ch.isActive()).isFalse();
    }

    @Test
    void anHttp11RequestWithoutHostIsA400() throws Exception {
        assertJsonError(one("GET /hello/x HTTP/1.1\r\n\r\n"), 400, "bad-request");
    }

    @Test
    void dotSegmentsAreRefused() throws Exception {
        assertJsonError(one("GET /hello/%2E%2E HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "bad-request");
    }

    @Test
    void anUnknownExpectationIsA417() throws Exception {
        assertJsonError(one("GET /hello/x HTTP/1.1\r\nHost: x\r\nExpect: magic\r\n\r\n"), 417, "expectation-failed");
    }

    @Test
    void expectContinueGetsA100BeforeTheBody() {
        String first = send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
        assertThat(first).startsWith("HTTP/1.1 100 Continue\r\n");

        assertThat(parse(send("ok")).get(0).body()).isEqualTo("ok");
    }

    @Test
    void connectionCloseIsHonoured() {
        Reply r = one("GET /hello/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(r.headers().get("connection")).isEqualTo("close");
        assertThat(ch.isActive()).isFalse();
    }

    @Test
    void http10KeepsAliveOnlyWhenAsked() {
        Reply kept = one("GET /hello/x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assertThat(kept.headers().get("connection")).isEqualTo("keep-alive");
        assertThat(ch.isActive()).isTrue();

        one("GET /hello/x HTTP/1.0\r\n\r\n");
        assertThat(ch.isActive()).isFalse();
    }
}
