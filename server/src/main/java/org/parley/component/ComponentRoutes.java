package org.parley.component;

import java.util.Map;
import org.parley.route.DomainRoutes;
import org.parley.xmpp.Jid;

/**
 * The configured component domains as the router's {@link DomainRoutes}: a stanza to the domain or
 * to any subdomain of it goes to the component's directory address, connected or not.
 */
public final class ComponentRoutes implements DomainRoutes {
    private final Map<String, String> secrets;

    public ComponentRoutes(Map<String, String> secrets) {
        this.secrets = Map.copyOf(secrets);
    }

    @Override
    public Jid route(String domain) {
        String served = servedBy(secrets, domain);
        return served == null ? null : ComponentServices.address(served);
    }

    /** The configured domain that {@code domain} is or lies under, or null. */
    static String servedBy(Map<String, String> secrets, String domain) {
        for (String d = domain; d != null; d = parent(d)) {
            if (secrets.containsKey(d)) {
                return d;
            }
        }
        return null;
    }

    /** Whether {@code domain} is {@code served} or lies under it (a subdomain). */
    static boolean within(String domain, String served) {
        return domain.equals(served) || domain.length() > served.length() && domain.endsWith(served)
                && domain.charAt(domain.length() - served.length() - 1) == '.';
    }

    private static String parent(String domain) {
        int dot = domain.indexOf('.');
        return dot < 0 ? null : domain.substring(dot + 1);
    }
}
