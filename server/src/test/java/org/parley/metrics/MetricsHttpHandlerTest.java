package org.parley.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MetricsHttpHandlerTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private FullHttpResponse request(HttpMethod method, String uri) {
        EmbeddedChannel ch = new EmbeddedChannel(new MetricsHttpHandler(registry));
        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri));
        FullHttpResponse r = ch.readOutbound();
        ch.finishAndReleaseAll();
        return r;
    }

    private static String body(FullHttpResponse r) {
        return r.content().toString(StandardCharsets.UTF_8);
    }

    @Test
    void metricsAreServedInPrometheusTextFormat() {
        Counter.builder("parley.test.things").register(registry).increment(3);

        FullHttpResponse r = request(HttpMethod.GET, "/metrics?x=1");

        assertThat(r.status().code()).isEqualTo(200);
        assertThat(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/plain; version=0.0.4");
        assertThat(body(r)).contains("parley_test_things_total 3.0");
        assertThat(r.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(r.content().readableBytes());
    }

    @Test
    void healthIsJson() {
        FullHttpResponse r = request(HttpMethod.GET, "/health");

        assertThat(r.status().code()).isEqualTo(200);
        assertThat(body(r)).isEqualTo("{\"status\":\"up\"}");
    }

    @Test
    void unknownPathIsA404WithAJsonBody() {
        FullHttpResponse r = request(HttpMethod.GET, "/admin\"x");

        assertThat(r.status().code()).isEqualTo(404);
        assertThat(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(body(r)).isEqualTo("{\"error\":\"no such resource: /admin\\\"x (try /metrics)\"}");
    }

    @Test
    void writesAreRefusedWith405() {
        FullHttpResponse r = request(HttpMethod.POST, "/metrics");

        assertThat(r.status().code()).isEqualTo(405);
        assertThat(r.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, HEAD");
        assertThat(body(r)).contains("\"error\":\"only GET is allowed on /metrics\"");
    }

    @Test
    void headHasHeadersButNoBody() {
        FullHttpResponse r = request(HttpMethod.HEAD, "/metrics");

        assertThat(r.status().code()).isEqualTo(200);
        assertThat(r.content().readableBytes()).isZero();
    }
}
