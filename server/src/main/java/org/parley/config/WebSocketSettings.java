package org.parley.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
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
            .check(WebSocketSettings::validOrigins, "* or a comma-separated list of scheme://host[:port]");

    public static final Section SECTION = Section.of("websocket", ENABLED, ALLOWED_ORIGINS);

    public boolean enabled() {
        return values.get(ENABLED);
    }

    /** The allowed origins, lower case without a trailing slash; empty for any. */
    public List<String> allowedOrigins() {
        String text = values.get(ALLOWED_ORIGINS).trim();
        if (text.equals("*")) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(WebSocketSettings::normalise).filter(s -> !s.isEmpty()).toList();
    }

    /** Whether a browser at {@code origin} (the request's {@code Origin}, RFC 6454) may connect. */
    public boolean allows(String origin) {
        List<String> allowed = allowedOrigins();
        return origin == null || allowed.isEmpty() || allowed.contains(normalise(origin));
    }

    private static String normalise(String origin) {
        String o = origin.trim().toLowerCase(java.util.Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    private static boolean validOrigins(String text) {
        if (text.trim().equals("*")) {
            return true;
        }
        for (String o : text.split(",")) {
            try {
                URI uri = new URI(normalise(o));
                if (uri.getScheme() == null || uri.getHost() == null || (uri.getRawPath() != null
                        && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null) {
                    return false;
                }
            } catch (URISyntaxException e) {
                return false;
            }
        }
        return true;
    }
}
