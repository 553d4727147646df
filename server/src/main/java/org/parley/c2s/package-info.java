/**
 * Client-to-server streams over any transport (RFC 6120): stream negotiation — STARTTLS (§5) when
 * the transport offers it, SASL (§6), resource binding (§7) — then stanza stamping and checking
 * (§8) before routing. A {@link org.parley.c2s.C2sSession} reads what its transport hands it
 * ({@link org.parley.c2s.StreamInput}) in order on its own executor, so blocking store calls never
 * stall an I/O thread, and writes through one {@link org.parley.c2s.Connection}; the
 * {@link org.parley.c2s.Attachment} moves it between connections (XEP-0198 resumption keeps the
 * policy). Transports live in {@code net} and know no feature; this package knows no Netty type.
 * {@link org.parley.c2s.ConnectionLog} writes the operator's line for each connection event.
 */
package org.parley.c2s;
