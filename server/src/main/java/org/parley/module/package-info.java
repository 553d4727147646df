/**
 * The module API: a {@link org.parley.module.Module} (usually one XEP, in its own
 * {@code feature.<name>} package) registers IQ handlers, phase hooks, session listeners and
 * announced features on the {@link org.parley.module.ModuleContext} while the server starts, and
 * declares the {@link org.parley.config.Option}s it reads from its own section of the configuration.
 */
package org.parley.module;
