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
import org.parley.store.RosterStore;
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
    private RosterStore rosters;

    @Override
    public String name() {
        return "disco";
    }

    @Override
    public void start(ModuleContext ctx) {
        features = ctx.features();
        rosters = ctx.stores().roster();
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
        // XEP-0030 §8: the items of an account that does not exist are an empty list, as an
        // account with nothing to show has; its info is service-unavailable, the router's default.
        ctx.iqGet(IqScope.NO_ACCOUNT, ITEMS_QUERY, DiscoModule::noAccountItems);
        // Every service domain's own disco, from what its module declared.
        ctx.iqGet(IqScope.SERVICE, INFO_QUERY, this::serviceInfo);
        ctx.iqGet(IqScope.SERVICE, ITEMS_QUERY, this::serviceItems);
    }

    private Element serverInfo(IqRequest request) {
        String node = request.payload().attr("node");
        if (node == null) {
            return features.serverInfo();
        }
        if (features.isServerInfoNode(node)) {
            return features.serverInfo().withAttr("node", node);
        }
        // Other nodes go to the modules that own nodes on the server (see ServerNodes).
        for (ServerNodes provider : features.serverNodes()) {
            Element answer = provider.info(request.from(), node);
            if (answer != null) {
                return answer.withAttr("node", node);
            }
        }
        throw new StanzaErrorException(Condition.ITEM_NOT_FOUND);
    }

    private static void noNode(IqRequest request) {
        if (request.payload().attr("node") != null) {
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND);
        }
    }

    /** @param forms XEP-0128 extended information, after identities and features */
    private static Element info(IqRequest request, List<Identity> identities, List<String> vars, List<Element> forms) {
        noNode(request);
        return Features.infoQuery(identities, vars, forms);
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

    /**
     * The account's info goes only to the user and to those with a subscription to the user's
     * presence (XEP-0030 §8); anyone else gets service-unavailable, as for an account that does
     * not exist, so the answer does not tell a stranger whether it does. Node queries go to the
     * modules that own account nodes (which apply their own access rules); the first that knows
     * the node answers.
     */
    private Element accountInfo(IqRequest request) {
        boolean trusted = request.isSelf() || subscribed(request);
        String node = request.payload().attr("node");
        if (node == null) {
            if (!trusted) {
                throw new StanzaErrorException(Condition.SERVICE_UNAVAILABLE);
            }
            return info(request, features.accountIdentities(), features.accountFeatures(), List.of());
        }
        for (AccountNodes provider : features.accountNodes()) {
            Element answer = provider.info(request.target(), request.from(), node);
            if (answer != null) {
                return answer.withAttr("node", node);
            }
        }
        throw new StanzaErrorException(trusted ? Condition.ITEM_NOT_FOUND : Condition.SERVICE_UNAVAILABLE);
    }

    /** Whether the account's roster gives the requester a subscription to the account's presence. */
    private boolean subscribed(IqRequest request) {
        if (request.from() == null) {
            return false;
        }
        return rosters.item(request.target().local(), request.from().bare().toString())
                .map(i -> i.subscription().hasFrom()).orElse(false);
    }

    private static Element noAccountItems(IqRequest request) {
        String node = request.payload().attr("node");
        if (node != null) {
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND);
        }
        return Element.empty("query", ITEMS);
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
