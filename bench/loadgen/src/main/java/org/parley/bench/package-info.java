/**
 * An open-loop XMPP load generator for side-by-side benchmarks of Parley, ejabberd and Prosody.
 *
 * <p>It speaks just enough RFC 6120 (stream header, STARTTLS, SASL PLAIN and SCRAM-SHA-1 per
 * RFC 5802, resource binding), RFC 6121 (initial presence, chat messages) and XEP-0077 (in-band
 * registration) to drive any server, and it recognises server replies by their top-level element
 * only, so it stays cheap enough to share one core with the measurement.
 */
package org.parley.bench;
