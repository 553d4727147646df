/**
 * Parley, an XMPP server. {@link org.parley.Server} wires one server by constructor from a
 * {@link org.parley.config.Config}: store, directory, router, modules, listeners. Nothing is
 * static, so several servers run in one JVM.
 */
package org.parley;
