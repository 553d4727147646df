package org.parley.feature.disco;

import java.util.ArrayList;
import java.util.List;
import org.parley.module.AccountNodes;
import org.parley.module.Features;
import org.parley.module.Identity;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.module.ServerNodes;
import org.parley.module.ServiceDomain;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * Answers disco#info and disco#items on the server, on every account and on every hosted service
 * domain (from the service's declarations).
 */
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
        ctx.iqGet(IqScope.SERVER, INFO_QUERY, this::serverInfo);
        ctx.iqGet(IqScope.ACCOUNT, INFO_QUERY, this::accountInfo);
        ctx.iqGet(IqScope.SERVER, ITEMS_QUERY, this::serverItems);
        ctx.iqGet(IqScope.ACCOUNT, ITEMS_QUERY, this::accountItems);
        // Every service domain's own disco, from what its module declared.
        ctx.iqGet(IqScope.SERVICE, INFO_QUERY, this::serviceInfo);
        ctx.iqGet(IqScope.SERVICE, ITEMS_QUERY, this::serviceItems);
    }

    /** @param forms XEP-0128 extended information, after identities and features */
    private static Element info(IqRequest request, List<Identity> identities, List<String> vars, List<Element> forms) {
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
        return q.children(forms).build();
    }

    private static ServiceDomain service(IqRequest request, Features features) {
        ServiceDomain service = features.service(request.target().domain());
        if (service == null) {
            throw new StanzaErrorException(Condition.SERVICE_UNAVAILABLE);
        }
        return service;
    }

    /** A service domain answers disco itself: its declarations, and disco#info and #items it takes from here. */
    private Element serviceInfo(IqRequest request) {
        ServiceDomain service = service(request, features);
        List<String> vars = new ArrayList<>(List.of(INFO, ITEMS));
        for (String var : service.features()) {
            if (!vars.contains(var)) {
                vars.add(var);
            }
        }
        return info(request, service.identities(), vars, service.extendedInfo());
    }

    private Element serviceItems(IqRequest request) {
        String node = request.payload().attr("node");
        List<Element> items = service(request, features).items(request.from(), node);
        if (items == null) {
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND);
        }
        return Element.builder("query", ITEMS).attr("node", node).children(items).build();
    }

    /** Node queries go to the modules that own nodes on the server (see {@link ServerNodes}). */
    private Element serverInfo(IqRequest request) {
        String node = request.payload().attr("node");
        if (node == null) {
            return info(request, features.serverIdentities(), features.serverFeatures(), List.of());
        }
        for (ServerNodes provider : features.serverNodes()) {
            Element answer = provider.info(request.from(), node);
            if (answer != null) {
                return answer.withAttr("node", node);
            }
        }
        throw new StanzaErrorException(Condition.ITEM_NOT_FOUND);
    }

    private Element serverItems(IqRequest request) {
        String node = request.payload().attr("node");
        if (node == null) {
            return items(request, features.serverItems());
        }
        for (ServerNodes provider : features.serverNodes()) {
            List<Element> items = provider.items(request.from(), node);
            if (items != null) {
                return Element.builder("query", ITEMS).attr("node", node).children(items).build();
            }
        }
        throw new StanzaErrorException(Condition.ITEM_NOT_FOUND);
    }

    /** Node queries go to the modules that own account nodes; the first that knows the node answers. */
    private Element accountInfo(IqRequest request) {
        String node = request.payload().attr("node");
        if (node == null) {
            return info(request, features.accountIdentities(), features.accountFeatures(), List.of());
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
