package org.parley.http;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP listener's settings ({@code http.*}), checked once, immutable after.
 *
 * @param bindAddress where both ports listen; loopback by default, so nothing is exposed until an
 *        operator opens it (or puts a reverse proxy in front)
 * @param port plain HTTP port (0 = any free port, -1 = off)
 * @param tlsPort HTTPS port with the server's certificate (0 = any free port, -1 = off)
 * @param publicUrl the base URL of links the server hands out (upload slots, host-meta), or null to
 *        derive it from the domain and the bound ports ({@link #derivedPublicUrl})
 * @param maxRequestLineBytes longest request line (method, target, version); longer gets 414
 * @param maxHeaderBytes most bytes of all header fields of a request; more gets 431
 * @param maxBodyBytes largest buffered request body (a route that streams its body sets its own
 *        limit); larger gets 413
 * @param headerTimeout a request whose header section has not fully arrived this long after its
 *        first byte gets 408 and the connection is closed (slow-client protection)
 * @param idleTimeout a connection waiting for the client this long (no next request on a kept-alive
 *        connection, a request body that stopped arriving, a response the client stopped reading)
 *        is closed
 */
public record HttpSettings(
        String bindAddress,
        int port,
        int tlsPort,
        URI publicUrl,
        int maxRequestLineBytes,
        int maxHeaderBytes,
        long maxBodyBytes,
        Duration headerTimeout,
        Duration idleTimeout) {

    public static final int DEFAULT_PORT = 5280;
    public static final int DEFAULT_TLS_PORT = 5443;

    public HttpSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        checkPort("port", port);
        checkPort("tlsPort", tlsPort);
        if (publicUrl != null) {
            publicUrl = checkedBaseUrl(publicUrl);
        }
        if (maxRequestLineBytes < 64 || maxHeaderBytes < 256 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("HTTP limits too small: request line " + maxRequestLineBytes
                    + ", headers " + maxHeaderBytes + ", body " + maxBodyBytes);
        }
        if (headerTimeout.isNegative() || headerTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("HTTP timeouts must be positive");
        }
    }

    /** The defaults: 5280 and 5443 on loopback, 8 KiB request line, 16 KiB of headers, 1 MiB bodies. */
    public static HttpSettings defaults() {
        return new HttpSettings("127.0.0.1", DEFAULT_PORT, DEFAULT_TLS_PORT, null, 8192, 16_384, 1L << 20,
                Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    /** These settings listening on other ports (tests use 0, any free port, or -1 for off). */
    public HttpSettings withPorts(int plain, int tls) {
        return new HttpSettings(bindAddress, plain, tls, publicUrl, maxRequestLineBytes, maxHeaderBytes,
                maxBodyBytes, headerTimeout, idleTimeout);
    }

    /** True when neither port is open. */
    public boolean off() {
        return port < 0 && tlsPort < 0;
    }

    /**
     * The base URL when none is configured: {@code https://<domain>[:<tls port>]} when the TLS port is
     * open (links should be encrypted), else {@code http://<domain>[:<port>]}; the default port of
     * the scheme is left out. Null when both ports are off. Takes the bound ports, since a
     * configured 0 is known only after binding.
     */
    public static URI derivedPublicUrl(String domain, int boundPort, int boundTlsPort) {
        if (boundTlsPort >= 0) {
            return URI.create("https://" + domain + (boundTlsPort == 443 ? "" : ":" + boundTlsPort));
        }
        if (boundPort >= 0) {
            return URI.create("http://" + domain + (boundPort == 80 ? "" : ":" + boundPort));
        }
        return null;
    }

    /** An absolute http(s) URL with a host, no query or fragment; a trailing slash is dropped. */
    static URI checkedBaseUrl(URI url) {
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || url.getHost() == null
                || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("must be an http:// or https:// URL with a host and no query, got \""
                    + url + "\"");
        }
        String text = url.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : url;
    }

    private static void checkPort(String name, int port) {
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be a port number 0-65535 or -1 to disable, got " + port);
        }
    }
}
