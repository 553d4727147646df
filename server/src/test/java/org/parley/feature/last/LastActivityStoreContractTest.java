package org.parley.feature.last;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.store.sql.SqlStores;

/** Last activity (XEP-0012) on every database. A subclass supplies empty stores for each test. */
abstract class LastActivityStoreContractTest {

    protected abstract SqlStores stores();

    /** Accounts alice and bob; called first by each test (subclasses open the stores in their own set-up). */
    private void accounts() {
        stores().accounts().create("alice", List.of());
        stores().accounts().create("bob", List.of());
    }

    private LastActivityStore last() {
        return new SqlLastActivityStore(stores().database());
    }

    @Test
    void removingTheAccountRemovesItsLastActivity() {
        accounts();
        last().put("alice", new LastActivity(Instant.ofEpochMilli(1000), "bye"));
        stores().accounts().delete("alice");
        stores().accounts().create("alice", List.of());
        assertThat(last().get("alice")).isEmpty();
    }

    @Test
    void lastActivityKeepsTheLatestLogoutWithItsStatus() {
        accounts();
        LastActivityStore last = last();
        assertThat(last.get("alice")).isEmpty();
        last.put("alice", new LastActivity(Instant.ofEpochMilli(1_000), "Heading home"));
        last.put("alice", new LastActivity(Instant.ofEpochMilli(2_000), null));
        assertThat(last.get("alice")).isEqualTo(Optional.of(new LastActivity(Instant.ofEpochMilli(2_000), null)));
        last.put("nobody", new LastActivity(Instant.ofEpochMilli(3_000), "x")); // a logout racing removal: ignored
        assertThat(last.get("nobody")).isEmpty();
    }

    @Test
    void manyLogoutsInOneTransactionSkipAccountsThatAreGone() {
        accounts();
        LastActivityStore last = last();
        last.put("bob", new LastActivity(Instant.ofEpochMilli(1_000), "old"));
        java.util.TreeMap<String, LastActivity> logouts = new java.util.TreeMap<>();
        logouts.put("alice", new LastActivity(Instant.ofEpochMilli(5_000), "bye"));
        logouts.put("bob", new LastActivity(Instant.ofEpochMilli(6_000), null));
        logouts.put("nobody", new LastActivity(Instant.ofEpochMilli(7_000), "x")); // removed meanwhile
        last.putAll(logouts);
        assertThat(last.get("alice")).isEqualTo(Optional.of(new LastActivity(Instant.ofEpochMilli(5_000), "bye")));
        assertThat(last.get("bob")).isEqualTo(Optional.of(new LastActivity(Instant.ofEpochMilli(6_000), null)));
        assertThat(last.get("nobody")).isEmpty();
    }
}
