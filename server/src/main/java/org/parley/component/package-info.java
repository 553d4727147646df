/**
 * External components, XEP-0114: Jabber Component Protocol (version 1.6). A component (a push
 * app server, a gateway, a bot) connects to {@code components.port}, proves the shared secret of
 * its domain with the stream-id handshake, and from then on sends and receives stanzas for that
 * domain. The router learns the configured domains through {@link org.parley.route.DomainRoutes};
 * a connected component is bound in the directory as {@code <domain>/component}, so in a cluster
 * every node reaches it over the node bus.
 */
package org.parley.component;
