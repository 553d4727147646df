package org.parley.feature.ping;

import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.IqScope;
import org.parley.xml.QName;

/**
 * Answers client-to-server pings (XEP-0199 §4.2). Server-to-client pings of silent clients are
 * the session's liveness check, not this module's.
 */
public final class PingModule implements Module {
    public static final String NAMESPACE = "urn:xmpp:ping";

    @Override
    public String name() {
        return "ping";
    }

    @Override
    public void start(ModuleContext ctx) {
        QName ping = new QName(NAMESPACE, "ping");
        ctx.features().serverFeature(NAMESPACE);
        ctx.iqGet(IqScope.SERVER, ping, r -> null);
        ctx.iqGet(IqScope.ACCOUNT, ping, r -> null);
    }
}
