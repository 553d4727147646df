/**
 * The HTTP listener and the route seam modules serve HTTP through: HTTP/1.1 (RFC 9110 semantics,
 * RFC 9112 message syntax) on Netty's codec, plain and over TLS with ALPN {@code http/1.1}
 * (RFC 7301). {@link org.parley.http.HttpRoutes} is what a module sees; {@link
 * org.parley.http.HttpListener} serves a route table on one port.
 *
 * <p>Limits, each a setting ({@link org.parley.config.HttpSettings}, {@code http.*}): request line (414), header
 * section (431, RFC 6585 §5), buffered body (413; a streamed route sets its own), time to receive
 * a header section (408), idle time waiting for the client. One request at a time per
 * connection, so pipelined requests are answered in order (RFC 9112 §9.3.2). Errors are JSON
 * {@code {"error": "...", "message": "..."}}.
 */
package org.parley.http;
