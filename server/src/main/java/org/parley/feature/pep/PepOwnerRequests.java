package org.parley.feature.pep;

import java.util.Map;
import java.util.Set;
import org.parley.route.IqRequest;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;

/** The {@code pubsub#owner} requests of XEP-0060 §8 for the owner's own nodes: configure, default, delete, purge, affiliations. */
final class PepOwnerRequests {
    /** What an owner may grant; publishers and members both pass a whitelist, only the owner publishes. */
    private static final Set<String> GRANTABLE = Set.of("member", "publisher", "outcast", "none");

    private final PubSubStore store;
    private final Notifier notifier;
    private final PepRequests.Limits limits;
    private final AvatarPresence avatars;

    PepOwnerRequests(PubSubStore store, Notifier notifier, PepRequests.Limits limits, AvatarPresence avatars) {
        this.store = store;
        this.notifier = notifier;
        this.limits = limits;
        this.avatars = avatars;
    }

    Element get(IqRequest r) {
        String owner = PepRequests.owner(r);
        Element q = r.payload();
        Element configure = q.element("configure", PubSub.OWNER);
        if (configure != null) {
            String node = PepRequests.node(configure);
            Map<String, String> config = existing(owner, node);
            return owner(Element.builder("configure", PubSub.OWNER).attr("node", node)
                    .child(NodeConfig.form(config, limits.maxItemsPerNode()).toElement())
                    .build());
        }
        if (q.element("default", PubSub.OWNER) != null) {
            return owner(Element.builder("default", PubSub.OWNER)
                    .child(NodeConfig.form(NodeConfig.defaults(), limits.maxItemsPerNode()).toElement()).build());
        }
        Element affiliations = q.element("affiliations", PubSub.OWNER);
        if (affiliations != null) {
            String node = PepRequests.node(affiliations);
            existing(owner, node);
            Element.Builder out = Element.builder("affiliations", PubSub.OWNER).attr("node", node);
            out.child(affiliation(r.target().bare().toString(), "owner"));
            store.affiliations(owner, node).forEach((jid, a) -> out.child(affiliation(jid, a)));
            return owner(out.build());
        }
        if (q.element("subscriptions", PubSub.OWNER) != null) {
            throw PubSub.unsupported("manage-subscriptions");
        }
        throw new StanzaErrorException(Condition.FEATURE_NOT_IMPLEMENTED);
    }

    Element set(IqRequest r) {
        String owner = PepRequests.owner(r);
        Element q = r.payload();
        Element configure = q.element("configure", PubSub.OWNER);
        if (configure != null) {
            configure(owner, configure);
            return null;
        }
        Element delete = q.element("delete", PubSub.OWNER);
        if (delete != null) {
            String node = PepRequests.node(delete);
            Map<String, String> config = existing(owner, node);
            // The audience is computed before the node and its affiliations go.
            notifier.notify(owner, node, config, Element.builder("delete", PubSub.EVENT).attr("node", node).build());
            store.deleteNode(owner, node);
            avatars.changed(owner, node);
            return null;
        }
        Element purge = q.element("purge", PubSub.OWNER);
        if (purge != null) {
            String node = PepRequests.node(purge);
            Map<String, String> config = existing(owner, node);
            store.purge(owner, node);
            avatars.changed(owner, node);
            notifier.notify(owner, node, config, Element.builder("purge", PubSub.EVENT).attr("node", node).build());
            return null;
        }
        Element affiliations = q.element("affiliations", PubSub.OWNER);
        if (affiliations != null) {
            affiliate(owner, r.target(), affiliations);
            return null;
        }
        throw new StanzaErrorException(Condition.FEATURE_NOT_IMPLEMENTED);
    }

    private void configure(String owner, Element configure) {
        String node = PepRequests.node(configure);
        Map<String, String> config = existing(owner, node);
        Element x = configure.element(DataForm.ELEMENT, DataForm.NAMESPACE);
        if (x == null) {
            throw PubSub.error(Condition.BAD_REQUEST, "invalid-options", "a configuration form is required");
        }
        DataForm form = DataForm.from(x);
        if (form.type() == DataForm.Type.CANCEL) {
            return;
        }
        String formType = form.formType();
        if (formType != null && !PubSub.NODE_CONFIG.equals(formType)) {
            throw PubSub.error(Condition.BAD_REQUEST, "invalid-options", "FORM_TYPE must be " + PubSub.NODE_CONFIG);
        }
        Map<String, String> next;
        try {
            next = NodeConfig.apply(config, NodeConfig.submitted(form), limits.maxItemsPerNode());
        } catch (NodeConfig.Invalid e) {
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, e.getMessage());
        }
        store.configure(owner, node, next, NodeConfig.storedItems(next, limits.maxItemsPerNode()));
    }

    private void affiliate(String owner, Jid account, Element affiliations) {
        String node = PepRequests.node(affiliations);
        existing(owner, node);
        for (Element a : affiliations.elements("affiliation", PubSub.OWNER)) {
            Jid jid = Jid.parseOrNull(a.attr("jid"));
            String affiliation = a.attr("affiliation");
            if (jid == null || affiliation == null) {
                throw new StanzaErrorException(Condition.BAD_REQUEST, "an affiliation needs a jid and an affiliation");
            }
            if (jid.sameBare(account) || !GRANTABLE.contains(affiliation)) {
                throw new StanzaErrorException(Condition.NOT_ACCEPTABLE,
                        "the owner stays owner; grantable are member, publisher, outcast and none");
            }
        }
        for (Element a : affiliations.elements("affiliation", PubSub.OWNER)) {
            store.affiliate(owner, node, Jid.of(a.attr("jid")).bare().toString(), a.attr("affiliation"));
        }
    }

    private Map<String, String> existing(String owner, String node) {
        return store.config(owner, node).orElseThrow(() -> new StanzaErrorException(Condition.ITEM_NOT_FOUND));
    }

    private static Element affiliation(String jid, String affiliation) {
        return Element.builder("affiliation", PubSub.OWNER).attr("jid", jid).attr("affiliation", affiliation).build();
    }

    private static Element owner(Element child) {
        return Element.builder("pubsub", PubSub.OWNER).child(child).build();
    }
}
