package org.parley.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * {@code http.*}: the HTTP listener modules serve their routes on (RFC 9110/9112), plain and over
 * TLS, and its limits. Loopback by default, so nothing is exposed until an operator opens it.
 */
public record HttpSettings(SectionValues values) {

    static final Option<String> BIND_ADDRESS = Option.text("bindAddress", "127.0.0.1",
            "listening address of both HTTP ports");
    static final Option<Integer> PORT = Option.port("port", 5280, true, "plain HTTP port");
    static final Option<Integer> TLS_PORT = Option.port("tlsPort", 5443, true,
            "HTTPS port, with the server's certificate");
    static final Option<String> PUBLIC_URL = Option.text("publicUrl", null,
                    "the base URL of links the server hands out (upload slots, host-meta)")
            .check(HttpSettings::isBaseUrl, "an http:// or https:// URL with a host and no query")
            .documentedAs("`https://<domain>:<tlsPort>`");
    static final Option<Integer> MAX_REQUEST_LINE_BYTES = Option.integer("maxRequestLineBytes", 8192, 256,
            1 << 20, "longest request line (method, target, version); longer gets 414");
    static final Option<Integer> MAX_HEADER_BYTES = Option.integer("maxHeaderBytes", 16_384, 1024, 1 << 22,
            "most bytes of a request's header fields; more gets 431");
    static final Option<Integer> MAX_BODY_BYTES = Option.integer("maxBodyBytes", 1 << 20, 0, 1 << 30,
            "largest request body a route buffers; larger gets 413 (a streaming route sets its own)");
    static final Option<Duration> HEADER_TIMEOUT = Option.duration("headerTimeout", Duration.ofSeconds(10),
            Duration.ofMillis(100), Duration.ofMinutes(10),
            "a request whose header section is not complete this long after its first byte gets 408");
    static final Option<Duration> IDLE_TIMEOUT = Option.duration("idleTimeout", Duration.ofSeconds(60),
            Duration.ofMillis(100), Duration.ofDays(1), "a connection waiting this long for its client is closed");

    public static final Section SECTION = Section.of("http", BIND_ADDRESS, PORT, TLS_PORT, PUBLIC_URL,
            MAX_REQUEST_LINE_BYTES, MAX_HEADER_BYTES, MAX_BODY_BYTES, HEADER_TIMEOUT, IDLE_TIMEOUT);

    public String bindAddress() {
        return values.get(BIND_ADDRESS);
    }

    /** Plain HTTP; 0 asks for any free port, -1 turns it off. */
    public int port() {
        return values.get(PORT);
    }

    /** HTTPS; 0 asks for any free port, -1 turns it off. */
    public int tlsPort() {
        return values.get(TLS_PORT);
    }

    /** The configured base URL without a trailing slash, or null to derive it from the domain and the TLS port. */
    public URI publicUrl() {
        String url = values.get(PUBLIC_URL);
        if (url == null) {
            return null;
        }
        return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    public int maxRequestLineBytes() {
        return values.get(MAX_REQUEST_LINE_BYTES);
    }

    public int maxHeaderBytes() {
        return values.get(MAX_HEADER_BYTES);
    }

    /** The body limit of a route that buffers its body. */
    public int maxBodyBytes() {
        return values.get(MAX_BODY_BYTES);
    }

    public Duration headerTimeout() {
        return values.get(HEADER_TIMEOUT);
    }

    /**
     * No next request on a kept-alive connection, a request body that stopped arriving, or a
     * response the client stopped reading, for this long: the connection is closed.
     */
    public Duration idleTimeout() {
        return values.get(IDLE_TIMEOUT);
    }

    private static boolean isBaseUrl(String text) {
        try {
            URI url = new URI(text);
            return ("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))
                    && url.getHost() != null && url.getRawQuery() == null && url.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
