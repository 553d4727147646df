/**
 * The module API: a {@link org.parley.module.Module} (usually one XEP, in its own
 * {@code feature.<name>} package) registers IQ handlers, phase hooks, session listeners and
 * announced features on the {@link org.parley.module.ModuleContext} while the server starts.
 */
package org.parley.module;
