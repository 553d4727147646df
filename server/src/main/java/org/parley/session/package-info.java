/**
 * What a session is, for every layer above the transport: the {@link org.parley.session.Session}
 * the router and directory deliver to (a client over any transport, an external component, a
 * session on another cluster node), its per-feature state, the listeners of its life cycle, and
 * the client-stream view features use for nonzas and stream observers (XEP-0198 builds on it).
 * A session's work runs in order on its {@link org.parley.session.SerialExecutor}, with its id in
 * the log context ({@link org.parley.session.SessionIds}).
 *
 * <p>This package depends on no other Parley package but {@code xml} and {@code xmpp}: the router
 * ({@code route}), the module API ({@code module}) and the client streams ({@code c2s}) build on
 * it, never the other way round.
 */
package org.parley.session;
