package org.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of roster versions and their change log (RFC 6121 §2.6) on every database. A
 * subclass supplies empty stores for each test.
 */
public abstract class RosterVersionsContractTest {

    protected abstract Stores stores();

    /** Accounts alice and bob; called first by each test (subclasses open the stores in their own set-up). */
    private void accounts() {
        stores().accounts().create("alice", List.of());
        stores().accounts().create("bob", List.of());
    }

    private RosterStore roster() {
        return stores().roster();
    }

    // ---- roster versions

    @Test
    void everyRosterChangeTakesTheNextVersionPerUser() {
        accounts();
        assertThat(roster().version("alice")).isZero();
        long first = roster().put("alice", RosterItem.of("c1@x"));
        assertThat(first).isPositive();
        assertThat(roster().put("alice", RosterItem.of("c2@x"))).isEqualTo(first + 1);
        long bobs = roster().put("bob", RosterItem.of("c1@x"));
        assertThat(roster().remove("alice", "c1@x")).isTrue();
        assertThat(roster().version("alice")).isEqualTo(first + 2);
        assertThat(roster().remove("alice", "nobody@x")).isFalse();
        assertThat(roster().version("alice")).isEqualTo(first + 2);
        assertThat(roster().version("bob")).isEqualTo(bobs);
    }

    @Test
    void aRecreatedAccountNeverRepeatsAVersionOfTheOldOne() throws InterruptedException {
        accounts();
        roster().put("alice", RosterItem.of("c1@x"));
        long old = roster().put("alice", RosterItem.of("c2@x"));
        stores().accounts().delete("alice");
        Thread.sleep(5);
        stores().accounts().create("alice", List.of());
        long fresh = roster().put("alice", RosterItem.of("c3@x"));
        assertThat(fresh).isGreaterThan(old);
        assertThat(roster().changesSince("alice", old)).as("the old account's version is unknown").isEmpty();
    }

    @Test
    void changesSinceAVersionAreTheLatestOfEachItemAndRemovalInVersionOrder() {
        accounts();
        roster().put("alice", RosterItem.of("keep@x"));
        roster().put("alice", RosterItem.of("gone@x"));
        roster().put("alice", RosterItem.of("renamed@x"));
        long seen = roster().version("alice");
        roster().put("alice", RosterItem.of("new@x").withGroups(List.of("g")));
        roster().remove("alice", "gone@x");
        roster().put("alice", RosterItem.of("renamed@x").withName("First"));
        roster().put("alice", RosterItem.of("renamed@x").withName("Second"));

        List<RosterChange> changes = roster().changesSince("alice", seen).orElseThrow();
        assertThat(changes).extracting(RosterChange::jid).containsExactly("new@x", "gone@x", "renamed@x");
        assertThat(changes).extracting(RosterChange::version).containsExactly(seen + 1, seen + 2, seen + 4);
        assertThat(changes.get(0).item().groups()).containsExactly("g");
        assertThat(changes.get(1).isRemoval()).isTrue();
        assertThat(changes.get(2).item().name()).isEqualTo("Second");

        assertThat(roster().changesSince("alice", seen + 4)).contains(List.of());
        assertThat(roster().changesSince("alice", seen - 2).orElseThrow()).hasSize(3);
        assertThat(roster().changesSince("alice", 0)).as("before the first version").isEmpty();
    }

    @Test
    void readdingAnItemReplacesItsRemoval() {
        accounts();
        long first = roster().put("alice", RosterItem.of("c@x"));
        roster().remove("alice", "c@x");
        roster().put("alice", RosterItem.of("c@x"));
        List<RosterChange> changes = roster().changesSince("alice", first).orElseThrow();
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).isRemoval()).isFalse();
    }

    @Test
    void versionsAheadOfTheRosterOrBeforeTheKeptRemovalsAreUnknown() {
        accounts();
        long v = roster().put("alice", RosterItem.of("a@x"));
        roster().put("alice", RosterItem.of("b@x"));
        roster().put("alice", RosterItem.of("c@x"));
        roster().remove("alice", "a@x"); // v + 3
        roster().remove("alice", "b@x"); // v + 4
        assertThat(roster().changesSince("alice", v + 5)).isEmpty();

        roster().trimRemovals("alice", 1); // forgets the removal at v + 3
        assertThat(roster().changesSince("alice", v + 2)).isEmpty();
        assertThat(roster().changesSince("alice", v + 3).orElseThrow()).extracting(RosterChange::jid)
                .containsExactly("b@x");
        roster().trimRemovals("alice", 0);
        assertThat(roster().changesSince("alice", v + 3)).isEmpty();
        assertThat(roster().changesSince("alice", v + 4)).contains(List.of());
    }
}
