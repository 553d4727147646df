/**
 * Typed, validated, immutable server configuration: defaults, a YAML file and {@code PARLEY_*}
 * environment overrides. Every setting is an {@link org.parley.config.Option} declared by the code
 * that reads it, in a {@link org.parley.config.Section}: the core's sections are the small
 * {@code *Settings} records, each module declares its own. No protocol of its own; the limits it
 * carries are those RFC 6120 §13.12 asks a server to enforce, and the SCRAM iteration floor is
 * RFC 7677 §4.
 */
package org.parley.config;
