/**
 * Operational metrics: one Micrometer registry per server, exposed in the Prometheus text
 * exposition format (version 0.0.4, as scraped by Prometheus 2.x and compatible agents) on
 * {@code GET /metrics} of a small HTTP listener that is off unless {@code metrics.port} is set.
 */
package org.parley.metrics;
