package org.parley.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * One HTTP request as a handler sees it: method, decoded path and its route parameters, query,
 * headers, the client's address, whether it came over TLS, and the body.
 *
 * @param method the request's method; HEAD for a HEAD served by a GET route (the server leaves
 *        the response body out)
 * @param path the decoded path, without the query
 * @param params the route's {@code {name}} parameters, decoded
 * @param query the decoded query parameters, in order
 * @param headers the request's header fields (do not modify)
 * @param remoteAddress the client's address (a reverse proxy's, behind one)
 * @param secure true when the request came over the TLS port
 * @param disconnected completes when the connection closes, so a handler that waits (a long
 *        poll) can stop waiting for a client that has gone
 */
public record Request(
        HttpMethod method,
        String path,
        Map<String, String> params,
        Map<String, List<String>> query,
        HttpHeaders headers,
        InetSocketAddress remoteAddress,
        boolean secure,
        RequestBody body,
        CompletionStage<Void> disconnected) {

    public Request {
        params = Map.copyOf(params);
        query = Map.copyOf(query);
    }

    /** A route parameter; the route's path names it, so it is always present. */
    public String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route has no parameter {" + name + "}");
        }
        return value;
    }

    /** The first value of a query parameter, or null. */
    public String query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A header field's value (the first, when repeated), or null. */
    public String header(CharSequence name) {
        return headers.get(name);
    }

    /** True when the client asks to switch to {@code protocol} ({@code Connection: upgrade}, RFC 9110 §7.8). */
    public boolean wantsUpgrade(String protocol) {
        String upgrade = headers.get(HttpHeaderNames.UPGRADE);
        return upgrade != null && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderNames.UPGRADE, true)
                && List.of(upgrade.split("\\s*,\\s*")).stream().anyMatch(p -> p.equalsIgnoreCase(protocol));
    }
}
