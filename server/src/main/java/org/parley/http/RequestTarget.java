package org.parley.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The target of a request (RFC 9112 §3.2), checked and decoded: the path, its segments and the
 * query, each percent-decoded as UTF-8. The origin form ({@code /a/b?c}) and the absolute form
 * ({@code http://host/a/b?c}, which a server must accept) are taken; anything else, a bad percent
 * escape, or a missing or repeated {@code Host} makes {@link #error()} say why (a 400).
 */
record RequestTarget(String path, List<String> segments, Map<String, List<String>> query, String error) {
    private static final int MAX_QUERY_PARAMS = 256;

    static RequestTarget parse(HttpRequest request) {
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1 || hosts.isEmpty() && request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            return failed("an HTTP/1.1 request has exactly one Host header field (RFC 9112 §3.2)");
        }
        String uri = request.uri();
        if (!uri.startsWith("/")) {
            try {
                URI absolute = new URI(uri);
                if (!absolute.isAbsolute() || absolute.getRawPath() == null || !absolute.getRawPath().startsWith("/")) {
                    return failed("the request target must be a path or an absolute URL");
                }
                uri = absolute.getRawPath() + (absolute.getRawQuery() == null ? "" : "?" + absolute.getRawQuery());
            } catch (URISyntaxException e) {
                return failed("malformed request target");
            }
        }
        try {
            int q = uri.indexOf('?');
            String rawPath = q < 0 ? uri : uri.substring(0, q);
            List<String> segments = new ArrayList<>();
            for (String raw : PathPattern.split(rawPath)) {
                String segment = percentDecode(raw);
                if (segment.equals(".") || segment.equals("..")) {
                    // RFC 3986 §5.2.4: clients remove dot-segments; one left here is an attempt to climb.
                    return failed("dot-segments are not allowed in a request path");
                }
                segments.add(segment);
            }
            // The query is form-encoded: there '+' is a space, as QueryStringDecoder reads it.
            QueryStringDecoder decoder = new QueryStringDecoder(uri, StandardCharsets.UTF_8, true, MAX_QUERY_PARAMS);
            return new RequestTarget(percentDecode(rawPath), List.copyOf(segments), decoder.parameters(), null);
        } catch (IllegalArgumentException e) {
            return failed("malformed percent-encoding in the request target");
        }
    }

    /** RFC 3986 §2.1 percent-decoding as UTF-8; unlike a form, '+' stays '+'. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[raw.length];
        int n = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] != '%') {
                out[n++] = raw[i];
                continue;
            }
            if (i + 2 >= raw.length) {
                throw new IllegalArgumentException("truncated escape");
            }
            int hi = Character.digit(raw[i + 1], 16);
            int lo = Character.digit(raw[i + 2], 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("bad escape");
            }
            out[n++] = (byte) (hi << 4 | lo);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8", e);
        }
    }

    private static RequestTarget failed(String why) {
        return new RequestTarget(null, List.of(), Map.of(), why);
    }
}
