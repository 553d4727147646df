package org.parley.config;

import java.util.List;

/**
 * {@code websocket.*}: XMPP over WebSocket (RFC 7395) at {@code /xmpp-websocket} on the HTTP
 * listener. Frames are bounded by {@code limits.maxStanzaBytes}, silence and keepalives follow
 * {@code ping.idle} and {@code c2s.keepaliveInterval}, as for TCP.
 */
public record WebSocketSettings(SectionValues values) {

    static final Option<Boolean> ENABLED = Option.bool("enabled", true,
            "serve XMPP over WebSocket (RFC 7395) at /xmpp-websocket on the HTTP ports");
    static final Option<String> ALLOWED_ORIGINS = Option.text("allowedOrigins", "*",
                    "comma-separated origins (scheme://host[:port]) browsers may connect from, * for any;"
                            + " a request without Origin (not a browser) is always accepted")
            .check(Origins::valid, Origins.MUST);

    public static final Section SECTION = Section.of("websocket", ENABLED, ALLOWED_ORIGINS);

    public boolean enabled() {
        return values.get(ENABLED);
    }

    /** The allowed origins, lower case without a trailing slash; empty for any. */
    public List<String> allowedOrigins() {
        return Origins.parse(values.get(ALLOWED_ORIGINS));
    }

    /** Whether a browser at {@code origin} (the request's {@code Origin}, RFC 6454) may connect. */
    public boolean allows(String origin) {
        return Origins.allows(allowedOrigins(), origin);
    }
}
