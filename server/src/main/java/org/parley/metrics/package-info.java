/**
 * Operational metrics: one Micrometer registry per server, exposed in the Prometheus text
 * exposition format (version 0.0.4, as scraped by Prometheus 2.x and compatible agents) on
 * {@code GET /metrics}, with a JSON {@code GET /health}, as routes of the HTTP seam
 * ({@link org.parley.metrics.MetricsRoutes}): on the HTTP listener, and on a metrics-only port
 * when {@code metrics.port} is set.
 */
package org.parley.metrics;
