/**
 * Stanza routing (RFC 6120 §10, RFC 6121 §8.5). The {@link org.parley.route.Router} classifies
 * the 'to' address as the server, a local bare JID, a local full JID, a service domain a module
 * hosts ({@link org.parley.route.ServiceReceiver}) or an external component's domain, runs
 * feature hooks in the fixed {@link org.parley.route.Phase phases} in their declared
 * {@link org.parley.route.Stage stages}, dispatches IQs to handlers by (scope, service domain,
 * type, payload), and applies the RFC delivery rules. The {@link org.parley.route.Directory} says
 * where sessions are: this node's table, or (in a cluster) other nodes too.
 */
package org.parley.route;
