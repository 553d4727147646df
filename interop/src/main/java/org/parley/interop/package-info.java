/**
 * Glue for running Smack's integration test framework (smack-integration-test 4.5.0-beta5) against
 * a live XMPP server: a launcher that points every TCP connection at a configurable port (the
 * framework has no port property), and a result processor that writes one machine-readable line
 * per test so {@code run.sh} can count, compare with known failures and fail the build.
 */
package org.parley.interop;
