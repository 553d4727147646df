package org.parley.feature.pep;

import java.util.Map;
import java.util.Set;
import org.parley.store.RosterStore;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** Who may see a node's items (XEP-0060 §4.5 access models as XEP-0163 §4.5 applies them). */
final class Access {
    /** Affiliations that pass a whitelist. */
    private static final Set<String> WHITELISTED = Set.of("owner", "publisher", "member");

    private final RosterStore roster;
    private final PubSubStore store;
    private final String domain;

    Access(RosterStore roster, PubSubStore store, String domain) {
        this.roster = roster;
        this.store = store;
        this.domain = domain;
    }

    /** Whether the owner's roster gives {@code requester} a subscription to the owner's presence. */
    boolean subscribed(String owner, Jid requester) {
        return roster.item(owner, requester.bare().toString()).map(i -> i.subscription().hasFrom()).orElse(false);
    }

    boolean mayRead(String owner, String node, Map<String, String> config, Jid requester) {
        return denial(owner, node, config, requester) == null;
    }

    /** Null when allowed, else the error §6.5.9 prescribes for the access model. */
    StanzaErrorException denial(String owner, String node, Map<String, String> config, Jid requester) {
        return denial(owner, node, config, requester, () -> subscribed(owner, requester));
    }

    /** As above, with the presence subscription already known (or computed once for many nodes). */
    StanzaErrorException denial(String owner, String node, Map<String, String> config, Jid requester,
                                java.util.function.BooleanSupplier subscribed) {
        if (requester == null) {
            return new StanzaErrorException(Condition.FORBIDDEN);
        }
        if (isOwner(owner, requester)) {
            return null;
        }
        return switch (NodeConfig.accessModel(config)) {
            case "open" -> null;
            case "whitelist" -> WHITELISTED.contains(store.affiliations(owner, node).getOrDefault(requester.bare().toString(), "none"))
                    ? null : PubSub.error(Condition.NOT_ALLOWED, "closed-node", null);
            default -> subscribed.getAsBoolean() ? null
                    : PubSub.error(Condition.NOT_AUTHORIZED, "presence-subscription-required", null);
        };
    }

    boolean isOwner(String owner, Jid jid) {
        return jid != null && owner.equals(jid.local()) && domain.equals(jid.domain());
    }
}
