package org.parley.feature.disco;

import java.util.ArrayList;
import java.util.List;
import org.parley.module.AccountNodes;
import org.parley.module.Features;
import org.parley.module.Identity;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** Answers disco#info and disco#items on the server and on every account. */
public final class DiscoModule implements Module {
    public static final String INFO = Namespaces.DISCO_INFO;
    public static final String ITEMS = Namespaces.DISCO_ITEMS;
    private static final QName INFO_QUERY = new QName(INFO, "query");
    private static final QName ITEMS_QUERY = new QName(ITEMS, "query");

    private Features features;

    @Override
    public String name() {
        return "disco";
    }

    @Override
    public void start(ModuleContext ctx) {
        features = ctx.features();
        features.serverIdentity(new Identity("server", "im", "Parley"));
        features.accountIdentity(new Identity("account", "registered", null));
        features.serverFeature(INFO);
        features.serverFeature(ITEMS);
        features.accountFeature(INFO);
        features.accountFeature(ITEMS);
        ctx.iqGet(IqScope.SERVER, INFO_QUERY, r -> info(r, features.serverIdentities(), features.serverFeatures()));
        ctx.iqGet(IqScope.ACCOUNT, INFO_QUERY, this::accountInfo);
        ctx.iqGet(IqScope.SERVER, ITEMS_QUERY, r -> items(r, features.serverItems()));
        ctx.iqGet(IqScope.ACCOUNT, ITEMS_QUERY, this::accountItems);
    }

    private static Element info(IqRequest request, List<Identity> identities, List<String> vars) {
        String node = request.payload().attr("node");
        if (node != null) {
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND);
        }
        Element.Builder q = Element.builder("query", INFO);
        for (Identity i : identities) {
            q.child(Element.builder("identity", INFO)
                    .attr("category", i.category()).attr("type", i.type()).attr("name", i.name()).build());
        }
        for (String var : vars) {
            q.child(Element.builder("feature", INFO).attr("var", var).build());
        }
        return q.build();
    }

    /** Node queries go to the modules that own account nodes; the first that knows the node answers. */
    private Element accountInfo(IqRequest request) {
        String node = request.payload().attr("node");
        if (node == null) {
            return info(request, features.accountIdentities(), features.accountFeatures());
        }
        for (AccountNodes provider : features.accountNodes()) {
            Element answer = provider.info(request.target(), request.from(), node);
            if (answer != null) {
                return answer.withAttr("node", node);
            }
        }
        throw new StanzaErrorException(Condition.ITEM_NOT_FOUND);
    }

    private Element accountItems(IqRequest request) {
        String node = request.payload().attr("node");
        List<Element> items = new ArrayList<>();
        boolean known = node == null;
        for (AccountNodes provider : features.accountNodes()) {
            List<Element> some = provider.items(request.target(), request.from(), node);
            if (some != null) {
                items.addAll(some);
                known = true;
            }
        }
        if (!known) {
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND);
        }
        return Element.builder("query", ITEMS).attr("node", node).children(items).build();
    }

    private static Element items(IqRequest request, List<String> jids) {
        String node = request.payload().attr("node");
        if (node != null) {
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND);
        }
        Element.Builder q = Element.builder("query", ITEMS);
        for (String jid : jids) {
            q.child(Element.builder("item", ITEMS).attr("jid", jid).build());
        }
        return q.build();
    }
}
