package org.parley.feature.pep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.feature.pep.PubSubStore.Created;
import org.parley.feature.pep.PubSubStore.Item;
import org.parley.store.sql.SqlStores;

/** What every {@link PubSubStore} must do; subclasses supply empty stores per test. */
abstract class PubSubStoreContractTest {

    protected abstract SqlStores stores();

    private PubSubStore pubsub() {
        return new SqlPubSubStore(stores().database());
    }

    private void account(String name) {
        stores().accounts().create(name, List.of());
    }

    private static List<String> ids(List<Item> items) {
        return items.stream().map(Item::id).toList();
    }

    @Test
    void nodesAreCreatedOnceAndCountedAgainstTheLimit() {
        account("alice");
        assertThat(pubsub().createNode("alice", "n1", Map.of("pubsub#max_items", "5"), 2)).isEqualTo(Created.CREATED);
        assertThat(pubsub().createNode("alice", "n1", Map.of(), 2)).isEqualTo(Created.EXISTS);
        assertThat(pubsub().createNode("alice", "n2", Map.of(), 2)).isEqualTo(Created.CREATED);
        assertThat(pubsub().createNode("alice", "n3", Map.of(), 2)).isEqualTo(Created.LIMIT_REACHED);
        assertThat(pubsub().nodes("alice")).containsExactly("n1", "n2");
        assertThat(pubsub().config("alice", "n1")).contains(Map.of("pubsub#max_items", "5"));
        assertThat(pubsub().config("alice", "n3")).isEmpty();
    }

    @Test
    void publishKeepsTheNewestItemsInOrderAndRepublishingMovesAnItemToTheEnd() {
        account("alice");
        pubsub().createNode("alice", "n", Map.of(), 10);
        for (String id : List.of("a", "b", "c", "d")) {
            assertThat(pubsub().publish("alice", "n", id, "<x xmlns='urn:t'>" + id + "</x>", 3)).isTrue();
        }
        assertThat(ids(pubsub().items("alice", "n", 10))).containsExactly("b", "c", "d");
        pubsub().publish("alice", "n", "b", "<x xmlns='urn:t'>b2</x>", 3);
        assertThat(ids(pubsub().items("alice", "n", 10))).containsExactly("c", "d", "b");
        assertThat(ids(pubsub().items("alice", "n", 1))).containsExactly("b");
        assertThat(pubsub().items("alice", "n", List.of("b", "zz")).get(0).payload()).contains("b2");
        assertThat(pubsub().nodeStates("alice")).singleElement()
                .satisfies(s -> assertThat(s.last().id()).isEqualTo("b"));
        assertThat(pubsub().publish("alice", "none", "x", "<x/>", 3)).isFalse();
    }

    @Test
    void nodeStatesOfManyOwnersInOneRead() {
        account("alice");
        account("bob");
        account("carol");
        pubsub().createNode("alice", "geo", Map.of("k", "v"), 10);
        pubsub().createNode("alice", "mood", Map.of(), 10);
        pubsub().createNode("alice", "other", Map.of(), 10);
        pubsub().createNode("bob", "geo", Map.of(), 10);
        pubsub().createNode("carol", "geo", Map.of(), 10);
        pubsub().publish("alice", "geo", "a1", "<a1/>", 5);
        pubsub().publish("alice", "geo", "a2", "<a2/>", 5);

        Map<String, List<PubSubStore.NodeState>> states = pubsub().nodeStates(List.of("alice", "bob", "dave"),
                List.of("geo", "mood"));

        assertThat(states).containsOnlyKeys("alice", "bob");
        assertThat(states.get("alice")).extracting(PubSubStore.NodeState::node).containsExactly("geo", "mood");
        assertThat(states.get("alice").get(0).last().id()).isEqualTo("a2");
        assertThat(states.get("alice").get(0).config()).isEqualTo(Map.of("k", "v"));
        assertThat(states.get("alice").get(1).last()).isNull();
        assertThat(states.get("bob").get(0).last()).isNull();
        assertThat(pubsub().nodeStates(List.of(), List.of("geo"))).isEmpty();
    }

    @Test
    void transientNodesStoreNothingAndConfigureTrims() {
        account("alice");
        pubsub().createNode("alice", "n", Map.of(), 10);
        pubsub().publish("alice", "n", "a", "<a/>", 5);
        pubsub().publish("alice", "n", "b", "<b/>", 5);
        assertThat(pubsub().configure("alice", "n", Map.of("pubsub#max_items", "1"), 1)).isTrue();
        assertThat(ids(pubsub().items("alice", "n", 10))).containsExactly("b");
        pubsub().publish("alice", "n", "c", "<c/>", 0);
        assertThat(pubsub().items("alice", "n", 10)).isEmpty();
        assertThat(pubsub().nodeStates("alice").get(0).last()).isNull();
    }

    @Test
    void retractPurgeDeleteAndAffiliations() {
        account("alice");
        pubsub().createNode("alice", "n", Map.of(), 10);
        pubsub().publish("alice", "n", "a", "<a/>", 5);
        pubsub().publish("alice", "n", "b", "<b/>", 5);
        assertThat(pubsub().retract("alice", "n", "a")).isTrue();
        assertThat(pubsub().retract("alice", "n", "a")).isFalse();
        assertThat(pubsub().affiliate("alice", "n", "bob@localhost", "member")).isTrue();
        assertThat(pubsub().affiliate("alice", "n", "carol@localhost", "member")).isTrue();
        assertThat(pubsub().affiliate("alice", "n", "carol@localhost", "none")).isTrue();
        assertThat(pubsub().affiliations("alice", "n")).isEqualTo(Map.of("bob@localhost", "member"));
        assertThat(pubsub().purge("alice", "n")).isTrue();
        assertThat(pubsub().items("alice", "n", 10)).isEmpty();
        assertThat(pubsub().deleteNode("alice", "n")).isTrue();
        assertThat(pubsub().deleteNode("alice", "n")).isFalse();
        assertThat(pubsub().affiliate("alice", "n", "bob@localhost", "member")).isFalse();
        pubsub().createNode("alice", "n", Map.of(), 10);
        assertThat(pubsub().affiliations("alice", "n")).isEmpty();
    }

    @Test
    void removingTheAccountRemovesItsNodes() {
        account("alice");
        pubsub().createNode("alice", "n", Map.of(), 10);
        pubsub().publish("alice", "n", "a", "<a/>", 5);
        pubsub().affiliate("alice", "n", "bob@localhost", "member");
        stores().accounts().delete("alice");
        account("alice");
        assertThat(pubsub().nodes("alice")).isEmpty();
    }
}
