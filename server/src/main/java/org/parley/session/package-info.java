/**
 * Client sessions (RFC 6120): stream negotiation — STARTTLS (§5), SASL (§6), resource binding
 * (§7) — then stanza stamping and checking (§8) before routing. A session processes its input in
 * order on its own {@link org.parley.session.SerialExecutor} (virtual threads), so blocking store
 * calls never stall the network event loop; output is written and flushed in batches.
 * {@link org.parley.session.Session} is the transport-agnostic view the router delivers to.
 */
package org.parley.session;
