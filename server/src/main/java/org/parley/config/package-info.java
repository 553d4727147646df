/**
 * Typed, validated, immutable server configuration: defaults, a YAML file and {@code PARLEY_*}
 * environment overrides. No protocol of its own; the limits it carries are those RFC 6120 §13.12
 * asks a server to enforce, and the SCRAM iteration floor is RFC 7677 §4.
 */
package org.parley.config;
