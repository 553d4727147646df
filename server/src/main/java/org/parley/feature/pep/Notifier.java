package org.parley.feature.pep;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.parley.feature.pep.PubSubStore.NodeState;
import org.parley.module.ClientFeatures;
import org.parley.route.Directory;
import org.parley.route.Router;
import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.store.RosterItem;
import org.parley.store.RosterStore;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;

/**
 * Sends PEP notifications (XEP-0163 §4.3): to the owner's resources and to contacts the node's
 * access model admits who hold a presence subscription, each only to the available resources
 * whose capabilities ask for {@code <node>+notify} (filtered notifications, §4.2). Sessions on
 * other cluster nodes are reached through the router like local ones.
 */
final class Notifier {
    /** The nodes whose last item a session was already sent (per session, so a new ver adds only new ones). */
    private static final SessionKey<Set<String>> SENT = new SessionKey<>("pep.lastSent");

    private final Router router;
    private final Directory directory;
    private final RosterStore roster;
    private final PubSubStore store;
    private final ClientFeatures caps;
    private final Access access;
    private final String domain;

    Notifier(Router router, Directory directory, RosterStore roster, PubSubStore store, ClientFeatures caps,
             Access access, String domain) {
        this.router = router;
        this.directory = directory;
        this.roster = roster;
        this.store = store;
        this.caps = caps;
        this.access = access;
        this.domain = domain;
    }

    /** Notifies everyone entitled to hear about {@code node} of {@code owner} with this event child. */
    void notify(String owner, String node, Map<String, String> config, Element eventChild) {
        Jid ownerJid = Jid.of(owner, domain, null);
        Stanza message = Stanza.message(ownerJid, null, "headline", PubSub.event(eventChild));
        Set<Jid> audience = new LinkedHashSet<>();
        audience.add(ownerJid);
        boolean whitelist = "whitelist".equals(NodeConfig.accessModel(config));
        Map<String, String> affiliations = whitelist ? store.affiliations(owner, node) : Map.of();
        for (RosterItem item : roster.items(owner)) {
            Jid contact = Jid.parseOrNull(item.jid());
            if (contact == null || contact.local() == null || !domain.equals(contact.domain())
                    || !item.subscription().hasFrom()) {
                continue;
            }
            String affiliation = affiliations.get(item.jid());
            if (!whitelist || "member".equals(affiliation) || "publisher".equals(affiliation)) {
                audience.add(contact);
            }
        }
        String wanted = node + PubSub.NOTIFY;
        for (Jid bare : audience) {
            for (Session s : directory.sessions(bare)) {
                if (s.isAvailable() && caps.features(s).contains(wanted)) {
                    router.route(message.withTo(s.jid()));
                }
            }
        }
    }

    /**
     * A local session's capabilities became known: it gets the newest item of every node it now
     * asks notifications for, from its own account and from every contact whose presence it
     * receives (XEP-0163 §4.3.2, send_last_published_item on_sub_and_presence).
     */
    void featuresKnown(Session session, Set<String> features) {
        Set<String> wanted = new HashSet<>();
        for (String f : features) {
            if (f.endsWith(PubSub.NOTIFY) && f.length() > PubSub.NOTIFY.length()) {
                wanted.add(f.substring(0, f.length() - PubSub.NOTIFY.length()));
            }
        }
        Set<String> sent = session.get(SENT);
        Set<String> fresh = new HashSet<>(wanted);
        if (sent != null) {
            fresh.removeAll(sent);
        }
        session.put(SENT, wanted);
        if (fresh.isEmpty() || !session.isAvailable()) {
            return;
        }
        String user = session.jid().local();
        Set<String> owners = new LinkedHashSet<>();
        owners.add(user);
        for (RosterItem item : roster.items(user)) {
            Jid contact = Jid.parseOrNull(item.jid());
            if (contact != null && contact.local() != null && domain.equals(contact.domain())
                    && item.subscription().hasTo()) {
                owners.add(contact.local());
            }
        }
        Map<String, List<NodeState>> states = store.nodeStates(owners, fresh);
        for (Map.Entry<String, List<NodeState>> e : states.entrySet()) {
            sendLast(e.getKey(), session, e.getValue());
        }
    }

    private void sendLast(String owner, Session session, List<NodeState> states) {
        Jid ownerJid = Jid.of(owner, domain, null);
        Boolean[] subscribed = {null}; // asked at most once per owner, and only when a node needs it
        BooleanSupplier isSubscribed = () -> {
            if (subscribed[0] == null) {
                subscribed[0] = access.subscribed(owner, session.jid());
            }
            return subscribed[0];
        };
        for (NodeState state : states) {
            if (state.last() == null || !NodeConfig.sendsLast(state.config())
                    || access.denial(owner, state.node(), state.config(), session.jid(), isSubscribed) != null) {
                continue;
            }
            Element items = Element.builder("items", PubSub.EVENT).attr("node", state.node())
                    .child(item(PubSub.EVENT, state.last())).build();
            router.route(Stanza.message(ownerJid, session.jid(), "headline", PubSub.event(items)));
        }
    }

    /** An {@code <item/>} of this namespace with the stored payload. */
    static Element item(String namespace, PubSubStore.Item item) {
        return Element.builder("item", namespace).attr("id", item.id())
                .child(XmlStrings.parse(item.payload())).build();
    }
}
