package org.parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code http.*} options and the {@code metrics.http} default derived from them. */
class HttpConfigTest {

    @Test
    void defaultsListenOnLoopbackOn5280And5443() {
        Config c = TestConfigs.load(null, Map.of());

        assertThat(c.http().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(c.http().port()).isEqualTo(5280);
        assertThat(c.http().tlsPort()).isEqualTo(5443);
        assertThat(c.http().publicUrl()).as("derived from the bound ports").isNull();
        assertThat(c.http().maxBodyBytes()).isEqualTo(1 << 20);
        assertThat(c.http().headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.metrics().http()).as("loopback: /metrics is served on it").isTrue();
    }

    @Test
    void aPublicListenerDoesNotServeMetricsUnlessAsked() {
        assertThat(TestConfigs.load(null, Map.of("PARLEY_HTTP_BIND_ADDRESS", "0.0.0.0")).metrics().http()).isFalse();
        assertThat(TestConfigs.load(null, Map.of("PARLEY_HTTP_BIND_ADDRESS", "0.0.0.0", "PARLEY_METRICS_HTTP", "true"))
                .metrics().http()).isTrue();
        assertThat(TestConfigs.load(null, Map.of("PARLEY_METRICS_HTTP", "false")).metrics().http()).isFalse();
    }

    @Test
    void thePublicUrlLosesItsTrailingSlash() {
        Config c = TestConfigs.load(null, Map.of("PARLEY_HTTP_PUBLIC_URL", "https://chat.example.org/xmpp/"));

        assertThat(c.http().publicUrl()).isEqualTo(URI.create("https://chat.example.org/xmpp"));
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_HTTP_PUBLIC_URL", "ftp://x.example/")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("http.publicUrl: must be an http://");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_HTTP_TLS_PORT", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("http.tlsPort:");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_HTTP_MAX_HEADER_BYTES", "10")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("http.maxHeaderBytes:");
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_HTTP_IDLE_TIMEOUT", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("http.idleTimeout:");
    }
}
