/**
 * The module API: a {@link org.parley.module.Module} (usually one XEP, in its own
 * {@code feature.<name>} package) registers IQ handlers, phase hooks, session listeners and
 * announced features on the {@link org.parley.module.ModuleContext} while the server starts, after
 * opening its storage on the server's database ({@link org.parley.module.Module#openStorage}), and
 * declares the {@link org.parley.config.Option}s it reads from its own section of the configuration.
 * {@link org.parley.module.InvalidatedCache} is the per-node cache of store reads that a change on
 * any node drops everywhere.
 */
package org.parley.module;
