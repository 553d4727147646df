package org.parley.feature.vcard;

import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.store.VCardStore;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** Stores and serves vCards (XEP-0054). */
public final class VCardModule implements Module {
    public static final String NAMESPACE = "vcard-temp";
    public static final String ELEMENT = "vCard";

    private VCardStore store;

    @Override
    public String name() {
        return "vcard";
    }

    @Override
    public void start(ModuleContext ctx) {
        store = ctx.stores().vcards();
        QName vcard = new QName(NAMESPACE, ELEMENT);
        ctx.features().serverFeature(NAMESPACE);
        ctx.features().accountFeature(NAMESPACE);
        ctx.iqGet(IqScope.ACCOUNT, vcard, this::get);
        ctx.iqSet(IqScope.ACCOUNT, vcard, this::set);
    }

    private Element get(IqRequest request) {
        return store.get(request.target().local())
                .map(XmlStrings::parse)
                .orElseThrow(() -> new StanzaErrorException(Condition.ITEM_NOT_FOUND));
    }

    private Element set(IqRequest request) {
        if (!request.isSelf()) {
            throw new StanzaErrorException(Condition.FORBIDDEN, "only the owner sets a vCard");
        }
        store.put(request.target().local(), request.payload().toXml());
        return null;
    }
}
