package org.parley.feature.vcard;

import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.module.UserLocks;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.store.VCardStore;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** Stores and serves vCards (XEP-0054); a stored photo becomes the PEP avatar (XEP-0398 §3.2). */
public final class VCardModule implements Module {
    public static final String NAMESPACE = Namespaces.VCARD;
    public static final String ELEMENT = "vCard";

    private VCardStore store;
    private UserLocks locks;
    private VCardAvatar avatar;

    @Override
    public String name() {
        return "vcard";
    }

    @Override
    public void start(ModuleContext ctx) {
        store = ctx.stores().vcards();
        locks = ctx.userLocks();
        avatar = new VCardAvatar(ctx);
        QName vcard = new QName(NAMESPACE, ELEMENT);
        ctx.features().serverFeature(NAMESPACE);
        ctx.features().accountFeature(NAMESPACE);
        ctx.iqGet(IqScope.ACCOUNT, vcard, this::get);
        ctx.iqSet(IqScope.ACCOUNT, vcard, this::set);
    }

    /**
     * The user asking for an own vCard that was never set gets item-not-found (§3.1); anyone else
     * gets service-unavailable, the answer for an account that does not exist (§3.3: the same
     * error in both cases, so the answer does not tell which accounts exist).
     */
    private Element get(IqRequest request) {
        return store.get(request.target().local())
                .map(XmlStrings::parse)
                .orElseThrow(() -> new StanzaErrorException(
                        request.isSelf() ? Condition.ITEM_NOT_FOUND : Condition.SERVICE_UNAVAILABLE));
    }

    private Element set(IqRequest request) {
        if (!request.isSelf()) {
            throw new StanzaErrorException(Condition.FORBIDDEN, "only the owner sets a vCard");
        }
        String owner = request.target().local();
        Element vcard = request.payload();
        // The avatar first: when PEP refuses it (too big, say) the vCard is refused with the same
        // error, so the vCard, the PEP avatar and the presence hash never disagree.
        avatar.sync(request.from(), VCardPhoto.of(vcard));
        // Under the owner's lock: the PEP side rewrites the PHOTO of the stored vCard under it.
        locks.withLock(owner, () -> store.put(owner, vcard.toXml()));
        return null;
    }
}
