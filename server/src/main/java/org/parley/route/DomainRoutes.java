package org.parley.route;

import org.parley.xmpp.Jid;

/**
 * Domains other than the server's own that this server still routes, because an entity bound in
 * the {@link Directory} serves them (an external component, XEP-0114). The router asks this table
 * before treating a foreign domain as unreachable; it never learns what serves the domain.
 */
@FunctionalInterface
public interface DomainRoutes {

    /** No routed domains: every other domain is remote. */
    DomainRoutes NONE = domain -> null;

    /**
     * The directory address of whatever serves {@code domain} (the domain itself or a subdomain
     * of it), or null when this server does not route it. Whether something is bound there right
     * now is the directory's business.
     */
    Jid route(String domain);
}
