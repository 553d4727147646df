package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Pattern;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ServerExtension;

/** What an operator's Prometheus sees when it scrapes a running server. */
class MetricsTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of("PARLEY_METRICS_PORT", "0"), "metrics-a");

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + server.get().server().metricsPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void scrapeCountsOpenStreamsAndJvmMemory() throws Exception {
        XMPPTCPConnection c = server.login("metrics-a");
        try {
            HttpResponse<String> r = get("/metrics");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("parley_c2s_streams 1.0").contains("jvm_memory_used_bytes")
                    .contains("parley_netty_direct_used_bytes")
                    .contains("process_uptime_seconds");
            // Netty's pool has grown an arena for the connection it served.
            var direct = Pattern.compile("(?m)^parley_netty_direct_used_bytes ([0-9.E]+)$")
                    .matcher(r.body());
            assertThat(direct.find()).isTrue();
            assertThat(Double.parseDouble(direct.group(1))).isPositive();
        } finally {
            c.disconnect();
        }
    }

    @Test
    void unknownPathGetsA404WithJson() throws Exception {
        HttpResponse<String> r = get("/nope");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).startsWith("{\"error\":");
    }
}
