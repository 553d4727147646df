package org.parley.feature.ping;

import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.IqScope;
import org.parley.xml.QName;
import org.parley.xmpp.Namespaces;

/**
 * Answers client-to-server pings (XEP-0199 §4.2). Server-to-client pings of silent clients are
 * the session's liveness check, not this module's.
 */
public final class PingModule implements Module {
    public static final String NAMESPACE = Namespaces.PING;

    @Override
    public String name() {
        return "ping";
    }

    @Override
    public void start(ModuleContext ctx) {
        QName ping = new QName(NAMESPACE, "ping");
        ctx.features().serverFeature(NAMESPACE);
        // The server answers pings to an account's bare JID on its behalf, so disco on that JID says so.
        ctx.features().accountFeature(NAMESPACE);
        ctx.iqGet(IqScope.SERVER, ping, r -> null);
        ctx.iqGet(IqScope.ACCOUNT, ping, r -> null);
    }
}
