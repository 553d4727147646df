package org.parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code websocket.*} options: on by default, any origin unless a list is given. */
class WebSocketConfigTest {

    @Test
    void byDefaultOnAndEveryOriginAllowed() {
        WebSocketSettings ws = TestConfigs.load(null, Map.of()).websocket();
        assertThat(ws.enabled()).isTrue();
        assertThat(ws.allowedOrigins()).isEmpty();
        assertThat(ws.allows("https://anywhere.example")).isTrue();
        assertThat(ws.allows(null)).isTrue();
    }

    @Test
    void aListAllowsExactlyItsOriginsAndClientsWithoutOne() {
        WebSocketSettings ws = TestConfigs.load(null,
                Map.of("PARLEY_WEBSOCKET_ALLOWED_ORIGINS", "https://chat.example/, http://localhost:8080")).websocket();
        assertThat(ws.allowedOrigins()).containsExactly("https://chat.example", "http://localhost:8080");
        assertThat(ws.allows("https://CHAT.example")).isTrue();
        assertThat(ws.allows("http://localhost:8080")).isTrue();
        assertThat(ws.allows("http://localhost:8081")).isFalse();
        assertThat(ws.allows("https://chat.example.evil")).isFalse();
        assertThat(ws.allows("null")).as("a sandboxed page").isFalse();
        assertThat(ws.allows(null)).as("not a browser").isTrue();
    }

    @Test
    void anOriginWithAPathOrNoSchemeStopsStartUp() {
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_WEBSOCKET_ALLOWED_ORIGINS", "chat.example")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("websocket.allowedOrigins:");
        assertThatThrownBy(() -> TestConfigs.load(null,
                Map.of("PARLEY_WEBSOCKET_ALLOWED_ORIGINS", "https://chat.example/app")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("websocket.allowedOrigins:");
    }
}
