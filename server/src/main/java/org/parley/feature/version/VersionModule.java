package org.parley.feature.version;

import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.IqScope;
import org.parley.xml.Element;
import org.parley.xml.QName;

/** Answers jabber:iq:version queries to the server (XEP-0092). */
public final class VersionModule implements Module {
    public static final String NAMESPACE = "jabber:iq:version";

    @Override
    public String name() {
        return "version";
    }

    @Override
    public void start(ModuleContext ctx) {
        String version = VersionModule.class.getPackage().getImplementationVersion();
        Element answer = Element.builder("query", NAMESPACE)
                .textChild("name", NAMESPACE, "Parley")
                .textChild("version", NAMESPACE, version == null ? "dev" : version)
                .build();
        ctx.features().serverFeature(NAMESPACE);
        ctx.iqGet(IqScope.SERVER, new QName(NAMESPACE, "query"), r -> answer);
    }
}
