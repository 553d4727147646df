package org.parley.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import org.parley.http.HttpRoutes;
import org.parley.http.Response;

/**
 * The operator's endpoints on the HTTP seam: {@code GET /health}, a JSON status for load balancers
 * and probes, and {@code GET /metrics}, the registry's scrape in the Prometheus text format.
 */
public final class MetricsRoutes {
    /** The Prometheus text exposition format, version 0.0.4. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private MetricsRoutes() {
    }

    /** {@code GET /health}: {@code {"status":"up"}} while the server serves. */
    public static void health(HttpRoutes routes) {
        routes.route(HttpMethod.GET, "/health", request -> Response.json(Map.of("status", "up")));
    }

    /** {@code GET /metrics}: what Prometheus scrapes. */
    public static void metrics(HttpRoutes routes, PrometheusMeterRegistry registry) {
        routes.route(HttpMethod.GET, "/metrics",
                request -> Response.text(HttpResponseStatus.OK, PROMETHEUS_TEXT, registry.scrape()));
    }
}
