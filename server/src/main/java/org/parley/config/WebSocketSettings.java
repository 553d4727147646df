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

    static final Option<String> SEE_OTHER_URI = Option.text("seeOtherUri", null,
            "where WebSocket clients are sent to reconnect when this server stops (RFC 7395 §3.6.1"
                    + " see-other-uri, e.g. the load balancer's wss:// URL); unset: they are told system-shutdown");

    public static final Section SECTION = Section.of("websocket", ENABLED, ALLOWED_ORIGINS, SEE_OTHER_URI);

    public boolean enabled() {
        return values.get(ENABLED);
    }

    /** The URI a stopping server redirects WebSocket clients to, or null for none. */
    public String seeOtherUri() {
        return values.get(SEE_OTHER_URI);
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
