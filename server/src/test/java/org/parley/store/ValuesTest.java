package org.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void subscriptionXmlValuesRoundTrip() {
        assertThat(Subscription.values()).extracting(Subscription::xmlValue)
                .containsExactly("none", "to", "from", "both");
        for (Subscription s : Subscription.values()) {
            assertThat(Subscription.fromXml(s.xmlValue())).isSameAs(s);
        }
        assertThatThrownBy(() -> Subscription.fromXml("remove")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Subscription.fromXml("BOTH")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rosterGroupsAreASortedDistinctImmutableCopy() {
        List<String> groups = new ArrayList<>(List.of("Work", "Friends", "Work"));
        RosterItem item = RosterItem.of("bob@example.org").withGroups(groups);
        groups.add("Later");
        assertThat(item.groups()).containsExactly("Friends", "Work");
        assertThat(item).isEqualTo(RosterItem.of("bob@example.org").withGroups(List.of("Friends", "Work")));
        assertThatThrownBy(() -> item.groups().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void withersChangeOneField() {
        RosterItem item = RosterItem.of("bob@example.org");
        assertThat(item).isEqualTo(new RosterItem("bob@example.org", null, Subscription.NONE, false, false, List.of()));
        assertThat(item.withSubscription(Subscription.FROM).subscription()).isEqualTo(Subscription.FROM);
        assertThat(item.withAsk(true).askSubscribe()).isTrue();
        assertThat(item.withApproved(true).approved()).isTrue();
        assertThat(item.withName("Bob").name()).isEqualTo("Bob");
        assertThat(item.withName("Bob").withName(null)).isEqualTo(item);
    }
}
