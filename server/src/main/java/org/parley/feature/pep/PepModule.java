package org.parley.feature.pep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.parley.config.Option;
import org.parley.module.AccountNodes;
import org.parley.module.ClientFeatures;
import org.parley.module.Features;
import org.parley.module.Identity;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.IqScope;
import org.parley.route.Phase;
import org.parley.route.Stage;
import org.parley.store.sql.Database;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;

/**
 * Personal eventing (XEP-0163): every account is a pubsub service at its bare JID. Needs the
 * {@link ClientFeatures} of the same server to know which resources want which notifications.
 */
public final class PepModule implements Module, AccountNodes {
    public static final Option<Integer> MAX_ITEMS_PER_NODE = Option.integer("maxItemsPerNode", 256, 1, 100_000,
            "highest pubsub#max_items a PEP node may have");
    public static final Option<Integer> MAX_NODES_PER_USER = Option.integer("maxNodesPerUser", 1000, 1, 1_000_000,
            "PEP nodes per account");
    public static final Option<Integer> MAX_ITEM_BYTES = Option.integer("maxItemBytes", 65_536, 256,
            16 * 1024 * 1024, "largest PEP item payload");
    /** Only what works (XEP-0060 §10 feature names). */
    private static final List<String> FEATURES = List.of("access-open", "access-presence", "access-whitelist",
            "auto-create", "auto-subscribe", "config-node", "create-nodes", "delete-items", "delete-nodes",
            "filtered-notifications", "last-published", "manage-affiliations", "modify-affiliations",
            "persistent-items", "publish", "publish-options", "purge-nodes", "retract-items", "retrieve-default",
            "retrieve-items");

    private static final String PEP_VCARD_CONVERSION = "urn:xmpp:pep-vcard-conversion:0";

    private final ClientFeatures caps;
    private PubSubStore store;
    private Access access;

    public PepModule(ClientFeatures caps) {
        this.caps = caps;
    }

    @Override
    public String name() {
        return "pep";
    }

    @Override
    public void openStorage(Database database) {
        database.migrate(name());
        store = new SqlPubSubStore(database);
    }

    @Override
    public List<Option<?>> options() {
        return List.of(MAX_ITEMS_PER_NODE, MAX_NODES_PER_USER, MAX_ITEM_BYTES);
    }

    @Override
    public void start(ModuleContext ctx) {
        String domain = ctx.serverJid().domain();
        access = new Access(ctx.stores().roster(), store, domain);
        Notifier notifier = new Notifier(ctx.router(), ctx.directory(), ctx.stores().roster(), store, caps, access, domain);
        AvatarPresence avatars = new AvatarPresence(store, domain);
        avatars.listen(ctx.invalidations());
        AvatarVCard vcardPhoto = new AvatarVCard(store, ctx.stores().vcards(), ctx.userLocks());
        PepRequests.Limits limits = new PepRequests.Limits(ctx.option(MAX_ITEMS_PER_NODE),
                ctx.option(MAX_NODES_PER_USER), ctx.option(MAX_ITEM_BYTES));
        PepRequests requests = new PepRequests(store, access, notifier, limits, avatars, vcardPhoto);
        PepOwnerRequests owner = new PepOwnerRequests(store, notifier, limits, avatars);
        QName pubsub = new QName(PubSub.NAMESPACE, "pubsub");
        QName ownerPubsub = new QName(PubSub.OWNER, "pubsub");
        ctx.iqSet(IqScope.ACCOUNT, pubsub, requests::set);
        ctx.iqGet(IqScope.ACCOUNT, pubsub, requests::get);
        ctx.iqSet(IqScope.ACCOUNT, ownerPubsub, owner::set);
        ctx.iqGet(IqScope.ACCOUNT, ownerPubsub, owner::get);
        ctx.hook(Phase.DELIVER, Stage.STAMP, "pep.avatar", avatars::deliver);
        caps.onFeatures(notifier::featuresKnown);
        Features features = ctx.features();
        // On the account (XEP-0163 §3), not on the server's domain: the domain is no
        // publish-subscribe service, and a client that took it for one would send it requests only
        // to get service-unavailable. One exception: Smack's XEP-0373 secret key backup (OX) asks
        // the server's domain for the whitelist access model before it uses the account's PEP; the
        // feature alone (without the pubsub identity and namespace) makes no pubsub service.
        features.accountIdentity(new Identity("pubsub", "pep", null));
        features.accountFeature(PubSub.NAMESPACE);
        for (String f : FEATURES) {
            features.accountFeature(PubSub.NAMESPACE + "#" + f);
        }
        features.serverFeature(PubSub.NAMESPACE + "#access-whitelist");
        features.accountNodes(this);
        // XEP-0398 §2: on the account. Avatars published here become the vCard photo (MUST), and
        // the vCard module publishes vCard photos here (MAY).
        features.accountFeature(PEP_VCARD_CONVERSION);
    }

    @Override
    public List<Element> items(Jid account, Jid requester, String node) {
        String owner = account.local();
        if (node == null) {
            List<Element> items = new ArrayList<>();
            for (PubSubStore.NodeState state : store.nodeStates(owner)) {
                if (access.mayRead(owner, state.node(), state.config(), requester)) {
                    items.add(Element.builder("item", Namespaces.DISCO_ITEMS).attr("jid", account.toString())
                            .attr("node", state.node()).build());
                }
            }
            return items;
        }
        Map<String, String> config = store.config(owner, node).orElse(null);
        if (config == null || !access.mayRead(owner, node, config, requester)) {
            return null;
        }
        List<Element> items = new ArrayList<>();
        for (PubSubStore.Item item : store.items(owner, node, Integer.MAX_VALUE)) {
            items.add(Element.builder("item", Namespaces.DISCO_ITEMS).attr("jid", account.toString()).attr("name", item.id()).build());
        }
        return items;
    }

    @Override
    public Element info(Jid account, Jid requester, String node) {
        String owner = account.local();
        Map<String, String> config = store.config(owner, node).orElse(null);
        if (config == null || !access.mayRead(owner, node, config, requester)) {
            return null;
        }
        return Element.builder("query", Namespaces.DISCO_INFO)
                .child(Element.builder("identity", Namespaces.DISCO_INFO).attr("category", "pubsub").attr("type", "leaf").build())
                .child(Element.builder("feature", Namespaces.DISCO_INFO).attr("var", PubSub.NAMESPACE).build())
                .build();
    }
}
