package org.parley.net;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.http.HttpRoutes;
import org.parley.http.Response;
import org.parley.xml.Element;

/**
 * XEP-0156 (1.4.0) connection discovery over HTTP: {@code /.well-known/host-meta} (an XRD
 * document, RFC 6415) and {@code /.well-known/host-meta.json} list the web transports' endpoints
 * as absolute URLs made from {@code http.publicUrl} ({@code https://} becoming {@code wss://} for
 * WebSocket), with {@code Access-Control-Allow-Origin: *} so a web client on another origin can
 * read them (§3.2).
 */
public final class HostMeta {
    public static final String XRD = "/.well-known/host-meta";
    public static final String JSON = "/.well-known/host-meta.json";
    static final String XRD_NAMESPACE = "http://docs.oasis-open.org/ns/xri/xrd-1.0";
    /** The link relations of XEP-0156 §3.1, from the XMPP Registrar's alternative connection methods. */
    public static final String WEBSOCKET = "urn:xmpp:alt-connections:websocket";
    public static final String BOSH = "urn:xmpp:alt-connections:xbosh";

    private final HttpRoutes routes;
    private final Map<String, String> links;

    private HostMeta(HttpRoutes routes, Map<String, String> links) {
        this.routes = routes;
        this.links = links;
    }

    /** @param links link relation to the endpoint's path on the HTTP listener, in the order to list them */
    public static void install(HttpRoutes routes, Map<String, String> links) {
        HostMeta hostMeta = new HostMeta(routes, new LinkedHashMap<>(links));
        routes.route(HttpMethod.GET, XRD, r -> cors(hostMeta.xrd()));
        routes.route(HttpMethod.GET, JSON, r -> cors(hostMeta.json()));
        for (String path : List.of(XRD, JSON)) {
            routes.route(HttpMethod.OPTIONS, path, r -> cors(Response.empty(HttpResponseStatus.NO_CONTENT))
                    .header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, OPTIONS"));
        }
    }

    private static Response cors(Response r) {
        return r.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }

    /** The absolute URL of an endpoint; WebSocket's scheme is {@code ws}/{@code wss}. */
    private String href(String rel, String path) {
        URI url = routes.publicUrl(path);
        if (WEBSOCKET.equals(rel)) {
            String scheme = "https".equalsIgnoreCase(url.getScheme()) ? "wss" : "ws";
            return scheme + url.toString().substring(url.getScheme().length());
        }
        return url.toString();
    }

    private Response xrd() {
        Element.Builder xrd = Element.builder("XRD", XRD_NAMESPACE);
        links.forEach((rel, path) -> xrd.child(Element.builder("Link", XRD_NAMESPACE).attr("rel", rel)
                .attr("href", href(rel, path)).build()));
        return Response.text(HttpResponseStatus.OK, "application/xrd+xml; charset=utf-8",
                "<?xml version='1.0' encoding='utf-8'?>\n" + xrd.build().toXml());
    }

    private Response json() {
        List<Map<String, String>> list = new ArrayList<>();
        links.forEach((rel, path) -> list.add(Map.of("rel", rel, "href", href(rel, path))));
        return Response.json(Map.of("links", list));
    }
}
