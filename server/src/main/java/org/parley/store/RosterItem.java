package org.parley.store;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One contact in a user's roster (RFC 6121 §2.1.2).
 *
 * @param jid bare JID of the contact
 * @param name display name, or {@code null}
 * @param askSubscribe an outbound subscription request is pending ({@code ask='subscribe'})
 * @param approved the owner pre-approved the contact's subscription (RFC 6121 §3.4)
 * @param groups group names; a roster group is a set, so they are kept sorted and distinct
 *     which makes two equal items compare equal whatever order they were given in
 */
public record RosterItem(String jid, String name, Subscription subscription, boolean askSubscribe,
                         boolean approved, List<String> groups) {

    public RosterItem {
        Objects.requireNonNull(jid, "jid");
        Objects.requireNonNull(subscription, "subscription");
        groups = List.copyOf(new TreeSet<>(Objects.requireNonNull(groups, "groups")));
    }

    /** A new contact: no subscription, nothing pending, no groups. */
    public static RosterItem of(String jid) {
        return new RosterItem(jid, null, Subscription.NONE, false, false, List.of());
    }

    public RosterItem withSubscription(Subscription value) {
        return new RosterItem(jid, name, value, askSubscribe, approved, groups);
    }

    public RosterItem withAsk(boolean value) {
        return new RosterItem(jid, name, subscription, value, approved, groups);
    }

    public RosterItem withApproved(boolean value) {
        return new RosterItem(jid, name, subscription, askSubscribe, value, groups);
    }

    public RosterItem withName(String value) {
        return new RosterItem(jid, value, subscription, askSubscribe, approved, groups);
    }

    public RosterItem withGroups(List<String> value) {
        return new RosterItem(jid, name, subscription, askSubscribe, approved, value);
    }
}
