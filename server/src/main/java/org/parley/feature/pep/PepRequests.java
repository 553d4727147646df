package org.parley.feature.pep;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.parley.feature.pep.PubSubStore.Created;
import org.parley.route.IqRequest;
import org.parley.xml.Element;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;

/** The {@code pubsub} requests of XEP-0060 §6-7 a PEP service answers: publish, retract, items, create. */
final class PepRequests {
    private final PubSubStore store;
    private final Access access;
    private final Notifier notifier;
    private final Limits limits;
    private final AvatarPresence avatars;
    private final AvatarVCard vcardPhoto;

    /** pep.* limits. */
    record Limits(int maxItemsPerNode, int maxNodesPerUser, int maxItemBytes) {
    }

    PepRequests(PubSubStore store, Access access, Notifier notifier, Limits limits, AvatarPresence avatars,
                AvatarVCard vcardPhoto) {
        this.store = store;
        this.access = access;
        this.notifier = notifier;
        this.limits = limits;
        this.avatars = avatars;
        this.vcardPhoto = vcardPhoto;
    }

    Element set(IqRequest r) {
        Element pubsub = r.payload();
        Element publish = pubsub.element("publish", PubSub.NAMESPACE);
        if (publish != null) {
            return publish(r, publish, pubsub.element("publish-options", PubSub.NAMESPACE));
        }
        Element retract = pubsub.element("retract", PubSub.NAMESPACE);
        if (retract != null) {
            return retract(r, retract);
        }
        Element create = pubsub.element("create", PubSub.NAMESPACE);
        if (create != null) {
            return create(r, create, pubsub.element("configure", PubSub.NAMESPACE));
        }
        if (pubsub.element("subscribe", PubSub.NAMESPACE) != null
                || pubsub.element("unsubscribe", PubSub.NAMESPACE) != null) {
            throw PubSub.unsupported("subscribe");
        }
        throw new StanzaErrorException(Condition.FEATURE_NOT_IMPLEMENTED);
    }

    Element get(IqRequest r) {
        Element items = r.payload().element("items", PubSub.NAMESPACE);
        if (items != null) {
            return items(r, items);
        }
        if (r.payload().element("subscriptions", PubSub.NAMESPACE) != null) {
            throw PubSub.unsupported("retrieve-subscriptions");
        }
        if (r.payload().element("affiliations", PubSub.NAMESPACE) != null) {
            throw PubSub.unsupported("retrieve-affiliations");
        }
        throw new StanzaErrorException(Condition.FEATURE_NOT_IMPLEMENTED);
    }

    static String owner(IqRequest r) {
        if (!r.isSelf()) {
            // XEP-0163 §4.1: only the account owner publishes to or manages its own nodes.
            throw new StanzaErrorException(Condition.FORBIDDEN);
        }
        return r.target().local();
    }

    static String node(Element e) {
        String node = e.attr("node");
        if (node == null || node.isEmpty()) {
            throw PubSub.error(Condition.BAD_REQUEST, "nodeid-required", null);
        }
        return node;
    }

    /** §7.1 with XEP-0163 §7.1 auto-create and XEP-0223 publish-options. */
    private Element publish(IqRequest r, Element publish, Element publishOptions) {
        String owner = owner(r);
        String node = node(publish);
        List<Element> items = publish.elements("item", PubSub.NAMESPACE);
        if (items.size() != 1) {
            throw PubSub.error(Condition.BAD_REQUEST, items.isEmpty() ? "item-required" : "invalid-payload", null);
        }
        List<Element> payloads = items.get(0).elements();
        if (payloads.size() != 1) {
            throw PubSub.error(Condition.BAD_REQUEST, payloads.isEmpty() ? "payload-required" : "invalid-payload", null);
        }
        String payload = payloads.get(0).toXml();
        if (payload.getBytes(StandardCharsets.UTF_8).length > limits.maxItemBytes()) {
            throw PubSub.error(Condition.NOT_ACCEPTABLE, "payload-too-big",
                    "an item may be at most " + limits.maxItemBytes() + " bytes (pep.maxItemBytes)");
        }
        String id = items.get(0).attr("id");
        if (id == null || id.isEmpty()) {
            id = UUID.randomUUID().toString();
        }
        Map<String, String> options = options(publishOptions);
        Map<String, String> config = store.config(owner, node).orElse(null);
        if (config == null) {
            try {
                config = NodeConfig.apply(NodeConfig.defaults(), options, limits.maxItemsPerNode());
            } catch (NodeConfig.Invalid e) {
                throw PubSub.error(Condition.CONFLICT, "precondition-not-met", e.getMessage());
            }
            Created created = store.createNode(owner, node, config, limits.maxNodesPerUser());
            if (created == Created.LIMIT_REACHED) {
                throw PubSub.error(Condition.POLICY_VIOLATION, "max-nodes-exceeded",
                        "an account may have at most " + limits.maxNodesPerUser() + " nodes (pep.maxNodesPerUser)");
            }
            if (created == Created.EXISTS) {
                config = store.config(owner, node).orElseThrow(() -> new StanzaErrorException(Condition.CONFLICT));
            }
        }
        if (!NodeConfig.satisfies(config, options, limits.maxItemsPerNode())) {
            throw PubSub.error(Condition.CONFLICT, "precondition-not-met",
                    "the node's configuration does not match the publish-options");
        }
        if (!store.publish(owner, node, id, payload, NodeConfig.storedItems(config, limits.maxItemsPerNode()))) {
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND); // deleted meanwhile
        }
        avatars.changed(owner, node);
        if (AvatarPresence.METADATA.equals(node)) {
            // Before the notification, so a contact who fetches the vCard on it finds the new photo.
            vcardPhoto.published(owner, payloads.get(0));
        }
        Element item = Element.builder("item", PubSub.EVENT).attr("id", id).child(payloads.get(0)).build();
        notifier.notify(owner, node, config, Element.builder("items", PubSub.EVENT).attr("node", node).child(item).build());
        return Element.builder("pubsub", PubSub.NAMESPACE)
                .child(Element.builder("publish", PubSub.NAMESPACE).attr("node", node)
                        .child(Element.builder("item", PubSub.NAMESPACE).attr("id", id).build()).build())
                .build();
    }

    private static Map<String, String> options(Element publishOptions) {
        if (publishOptions == null) {
            return Map.of();
        }
        Element x = publishOptions.element(DataForm.ELEMENT, DataForm.NAMESPACE);
        if (x == null) {
            return Map.of();
        }
        DataForm form = DataForm.from(x);
        if (!PubSub.PUBLISH_OPTIONS.equals(form.formType())) {
            throw PubSub.error(Condition.BAD_REQUEST, "invalid-options", "FORM_TYPE must be " + PubSub.PUBLISH_OPTIONS);
        }
        return NodeConfig.submitted(form);
    }

    /** §7.2. */
    private Element retract(IqRequest r, Element retract) {
        String owner = owner(r);
        String node = node(retract);
        Element item = retract.element("item", PubSub.NAMESPACE);
        String id = item == null ? null : item.attr("id");
        if (id == null || id.isEmpty()) {
            throw PubSub.error(Condition.BAD_REQUEST, "item-required", null);
        }
        Map<String, String> config = store.config(owner, node)
                .orElseThrow(() -> new StanzaErrorException(Condition.ITEM_NOT_FOUND));
        if (!store.retract(owner, node, id)) {
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND);
        }
        avatars.changed(owner, node); // the newest metadata item, the one presence shows, may be another now
        String notify = retract.attr("notify");
        boolean tell = notify == null ? NodeConfig.notifiesRetract(config) : "true".equals(notify) || "1".equals(notify);
        if (tell) {
            notifier.notify(owner, node, config, Element.builder("items", PubSub.EVENT).attr("node", node)
                    .child(Element.builder("retract", PubSub.EVENT).attr("id", id).build()).build());
        }
        return null;
    }

    /** §8.1.2, a node with a name (PEP has no instant nodes). */
    private Element create(IqRequest r, Element create, Element configure) {
        String owner = owner(r);
        String node = node(create);
        Map<String, String> submitted = Map.of();
        Element x = configure == null ? null : configure.element(DataForm.ELEMENT, DataForm.NAMESPACE);
        if (x != null) {
            submitted = NodeConfig.submitted(DataForm.from(x));
        }
        Map<String, String> config;
        try {
            config = NodeConfig.apply(NodeConfig.defaults(), submitted, limits.maxItemsPerNode());
        } catch (NodeConfig.Invalid e) {
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, e.getMessage());
        }
        switch (store.createNode(owner, node, config, limits.maxNodesPerUser())) {
            case EXISTS -> throw new StanzaErrorException(Condition.CONFLICT);
            case LIMIT_REACHED -> throw PubSub.error(Condition.POLICY_VIOLATION, "max-nodes-exceeded",
                    "an account may have at most " + limits.maxNodesPerUser() + " nodes (pep.maxNodesPerUser)");
            case CREATED -> { }
        }
        return null;
    }

    /** §6.5: all, the newest max_items, or by id; checked against the access model. */
    private Element items(IqRequest r, Element request) {
        String owner = r.target().local();
        String node = node(request);
        Map<String, String> config = store.config(owner, node)
                .orElseThrow(() -> new StanzaErrorException(Condition.ITEM_NOT_FOUND));
        StanzaErrorException denied = access.denial(owner, node, config, r.from());
        if (denied != null) {
            throw denied;
        }
        List<String> ids = new ArrayList<>();
        for (Element i : request.elements("item", PubSub.NAMESPACE)) {
            if (i.attr("id") != null) {
                ids.add(i.attr("id"));
            }
        }
        List<PubSubStore.Item> found;
        if (!ids.isEmpty()) {
            found = store.items(owner, node, ids);
        } else {
            int max = limits.maxItemsPerNode();
            String maxItems = request.attr("max_items");
            if (maxItems != null) {
                try {
                    max = Math.min(max, Integer.parseInt(maxItems));
                } catch (NumberFormatException e) {
                    throw new StanzaErrorException(Condition.BAD_REQUEST, "max_items must be a number");
                }
                if (max < 1) {
                    throw new StanzaErrorException(Condition.BAD_REQUEST, "max_items must be positive");
                }
            }
            found = store.items(owner, node, max);
        }
        Element.Builder out = Element.builder("items", PubSub.NAMESPACE).attr("node", node);
        for (PubSubStore.Item item : found) {
            out.child(Notifier.item(PubSub.NAMESPACE, item));
        }
        return Element.builder("pubsub", PubSub.NAMESPACE).child(out.build()).build();
    }
}
