package org.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.auth.ScramCredentials;

/**
 * The behaviour every {@link Stores} implementation must have. A subclass supplies empty stores
 * for each test.
 */
public abstract class StoreContractTest {

    /** Empty stores for the current test; the subclass opens and closes them. */
    protected abstract Stores stores();

    private static ScramCredentials creds(String algorithm, int seed) {
        return new ScramCredentials(algorithm, new byte[] {(byte) seed, 1, 2}, 4096 + seed,
                new byte[] {(byte) seed, 3, 4, 5}, new byte[] {(byte) seed, 6, 7, 8, (byte) 0xff});
    }

    private static List<ScramCredentials> bothCreds(int seed) {
        return List.of(creds(ScramCredentials.SHA_1, seed), creds(ScramCredentials.SHA_256, seed));
    }

    private AccountStore accounts() {
        return stores().accounts();
    }

    private RosterStore roster() {
        return stores().roster();
    }

    private void createAccounts(String... names) {
        for (String name : names) {
            assertThat(accounts().create(name, bothCreds(1))).isTrue();
        }
    }

    // ---- accounts

    @Test
    void createdAccountExists() {
        assertThat(accounts().exists("alice")).isFalse();
        assertThat(accounts().create("alice", bothCreds(1))).isTrue();
        assertThat(accounts().exists("alice")).isTrue();
        assertThat(accounts().exists("bob")).isFalse();
    }

    @Test
    void creatingAnExistingAccountFailsAndKeepsItsCredentials() {
        accounts().create("alice", bothCreds(1));
        assertThat(accounts().create("alice", bothCreds(2))).isFalse();
        assertThat(accounts().credentials("alice", ScramCredentials.SHA_256)).get()
                .usingRecursiveComparison().isEqualTo(creds(ScramCredentials.SHA_256, 1));
        assertThat(accounts().count()).isEqualTo(1);
    }

    @Test
    void credentialsRoundTripPerAlgorithm() {
        accounts().create("alice", bothCreds(7));
        assertThat(accounts().credentials("alice", ScramCredentials.SHA_1)).get()
                .usingRecursiveComparison().isEqualTo(creds(ScramCredentials.SHA_1, 7));
        assertThat(accounts().credentials("alice", ScramCredentials.SHA_256)).get()
                .usingRecursiveComparison().isEqualTo(creds(ScramCredentials.SHA_256, 7));
        assertThat(accounts().credentials("alice", "SHA-512")).isEmpty();
        assertThat(accounts().credentials("bob", ScramCredentials.SHA_1)).isEmpty();
    }

    @Test
    void accountWithoutCredentialsCanBeCreated() {
        assertThat(accounts().create("alice", List.of())).isTrue();
        assertThat(accounts().credentials("alice", ScramCredentials.SHA_256)).isEmpty();
    }

    @Test
    void setCredentialsReplacesAllOfThem() {
        accounts().create("alice", bothCreds(1));
        assertThat(accounts().setCredentials("alice", List.of(creds(ScramCredentials.SHA_256, 9)))).isTrue();
        assertThat(accounts().credentials("alice", ScramCredentials.SHA_1)).isEmpty();
        assertThat(accounts().credentials("alice", ScramCredentials.SHA_256)).get()
                .usingRecursiveComparison().isEqualTo(creds(ScramCredentials.SHA_256, 9));
    }

    @Test
    void setCredentialsOfUnknownAccountFails() {
        assertThat(accounts().setCredentials("ghost", bothCreds(1))).isFalse();
        assertThat(accounts().exists("ghost")).isFalse();
    }

    @Test
    void deletingAnAccountRemovesAllItsDataAndNoOneElses() {
        createAccounts("alice", "bob");
        for (String owner : List.of("alice", "bob")) {
            roster().put(owner, RosterItem.of("carol@example.org").withGroups(List.of("Friends")));
            roster().addPendingIn(owner, new PendingSubscription("dave@example.org", "<presence type='subscribe'/>"));
            stores().vcards().put(owner, "<vCard xmlns='vcard-temp'/>");
        }

        assertThat(accounts().delete("alice")).isTrue();
        assertThat(accounts().delete("alice")).isFalse();

        assertThat(accounts().exists("alice")).isFalse();
        assertThat(accounts().credentials("alice", ScramCredentials.SHA_256)).isEmpty();
        // Re-creating the account must not resurrect anything of the old one.
        accounts().create("alice", bothCreds(2));
        assertThat(roster().items("alice")).isEmpty();
        assertThat(roster().pendingIn("alice")).isEmpty();
        assertThat(stores().vcards().get("alice")).isEmpty();
        assertThat(accounts().credentials("alice", ScramCredentials.SHA_1)).get()
                .usingRecursiveComparison().isEqualTo(creds(ScramCredentials.SHA_1, 2));

        assertThat(roster().items("bob")).hasSize(1);
        assertThat(roster().item("bob", "carol@example.org")).get()
                .extracting(RosterItem::groups).isEqualTo(List.of("Friends"));
        assertThat(roster().pendingIn("bob")).hasSize(1);
        assertThat(stores().vcards().get("bob")).isPresent();
    }

    @Test
    void listIsSortedAndCountMatches() {
        assertThat(accounts().list()).isEmpty();
        assertThat(accounts().count()).isZero();
        createAccounts("mallory", "alice", "Zed", "bob", "émile");
        assertThat(accounts().list()).containsExactly("Zed", "alice", "bob", "mallory", "émile");
        assertThat(accounts().count()).isEqualTo(5);
    }

    // ---- roster

    @Test
    void rosterItemRoundTrips() {
        createAccounts("alice");
        RosterItem item = new RosterItem("bob@example.org", "Bob", Subscription.BOTH, true, true,
                List.of("Work", "Friends"));
        roster().put("alice", item);
        assertThat(roster().item("alice", "bob@example.org")).contains(item);

        RosterItem bare = RosterItem.of("carol@example.org");
        roster().put("alice", bare);
        assertThat(roster().item("alice", "carol@example.org")).contains(bare);
        assertThat(roster().item("alice", "nobody@example.org")).isEmpty();
    }

    @Test
    void putReplacesTheItemAndItsGroups() {
        createAccounts("alice");
        roster().put("alice", new RosterItem("bob@example.org", "Bob", Subscription.NONE, true, false,
                List.of("A", "B")));
        RosterItem replacement = new RosterItem("bob@example.org", null, Subscription.TO, false, true,
                List.of("B", "C"));
        roster().put("alice", replacement);
        assertThat(roster().items("alice")).containsExactly(replacement);

        roster().put("alice", replacement.withGroups(List.of()));
        assertThat(roster().item("alice", "bob@example.org")).get()
                .extracting(RosterItem::groups).isEqualTo(List.of());
    }

    @Test
    void itemsAreOrderedByJidAndKeptPerOwner() {
        createAccounts("alice", "bob");
        for (String jid : List.of("zoe@example.org", "adam@example.org", "mike@example.net")) {
            roster().put("alice", RosterItem.of(jid).withGroups(List.of("g1", "g2")));
        }
        roster().put("bob", RosterItem.of("other@example.org"));
        assertThat(roster().items("alice")).extracting(RosterItem::jid)
                .containsExactly("adam@example.org", "mike@example.net", "zoe@example.org");
        assertThat(roster().items("alice")).allSatisfy(i -> assertThat(i.groups()).containsExactly("g1", "g2"));
        assertThat(roster().items("bob")).extracting(RosterItem::jid).containsExactly("other@example.org");
        assertThat(roster().items("nobody")).isEmpty();
    }

    @Test
    void removeDeletesTheItemWithItsGroups() {
        createAccounts("alice");
        roster().put("alice", RosterItem.of("bob@example.org").withGroups(List.of("Friends")));
        assertThat(roster().remove("alice", "bob@example.org")).isTrue();
        assertThat(roster().remove("alice", "bob@example.org")).isFalse();
        assertThat(roster().items("alice")).isEmpty();

        roster().put("alice", RosterItem.of("bob@example.org"));
        assertThat(roster().item("alice", "bob@example.org")).get()
                .extracting(RosterItem::groups).isEqualTo(List.of());
    }

    @Test
    void rosterOfUnknownAccountCannotBeWritten() {
        assertThatThrownBy(() -> roster().put("ghost", RosterItem.of("bob@example.org")))
                .isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> roster().addPendingIn("ghost", new PendingSubscription("bob@example.org", "<p/>")))
                .isInstanceOf(StoreException.class);
        assertThat(roster().items("ghost")).isEmpty();
    }

    // ---- pending inbound subscriptions

    @Test
    void pendingRequestsComeBackInArrivalOrder() {
        createAccounts("alice");
        List<String> froms = List.of("zoe@example.org", "adam@example.org", "mike@example.org");
        for (String from : froms) {
            roster().addPendingIn("alice", new PendingSubscription(from, "<presence from='" + from + "'/>"));
        }
        assertThat(roster().pendingIn("alice")).extracting(PendingSubscription::from).containsExactlyElementsOf(froms);
        assertThat(roster().pendingIn("alice").get(1).stanzaXml()).isEqualTo("<presence from='adam@example.org'/>");
    }

    @Test
    void aNewRequestFromTheSameJidReplacesTheOldOne() {
        createAccounts("alice");
        roster().addPendingIn("alice", new PendingSubscription("bob@example.org", "<old/>"));
        roster().addPendingIn("alice", new PendingSubscription("carol@example.org", "<carol/>"));
        roster().addPendingIn("alice", new PendingSubscription("bob@example.org", "<new/>"));
        assertThat(roster().pendingIn("alice")).containsExactly(
                new PendingSubscription("carol@example.org", "<carol/>"),
                new PendingSubscription("bob@example.org", "<new/>"));
    }

    @Test
    void removePendingRequest() {
        createAccounts("alice", "bob");
        roster().addPendingIn("alice", new PendingSubscription("carol@example.org", "<c/>"));
        roster().addPendingIn("alice", new PendingSubscription("dave@example.org", "<d/>"));
        roster().addPendingIn("bob", new PendingSubscription("carol@example.org", "<c/>"));
        assertThat(roster().removePendingIn("alice", "carol@example.org")).isTrue();
        assertThat(roster().removePendingIn("alice", "carol@example.org")).isFalse();
        assertThat(roster().pendingIn("alice")).extracting(PendingSubscription::from)
                .containsExactly("dave@example.org");
        assertThat(roster().pendingIn("bob")).hasSize(1);
    }

    // ---- vCards

    @Test
    void vcardPutGetReplaceDelete() {
        createAccounts("alice");
        VCardStore vcards = stores().vcards();
        assertThat(vcards.get("alice")).isEmpty();
        vcards.put("alice", "<vCard xmlns='vcard-temp'><FN>Alice</FN></vCard>");
        assertThat(vcards.get("alice")).contains("<vCard xmlns='vcard-temp'><FN>Alice</FN></vCard>");
        vcards.put("alice", "<vCard xmlns='vcard-temp'><FN>Alice B.</FN></vCard>");
        assertThat(vcards.get("alice")).contains("<vCard xmlns='vcard-temp'><FN>Alice B.</FN></vCard>");
        assertThat(vcards.delete("alice")).isTrue();
        assertThat(vcards.delete("alice")).isFalse();
        assertThat(vcards.get("alice")).isEmpty();
        assertThatThrownBy(() -> vcards.put("ghost", "<vCard xmlns='vcard-temp'/>")).isInstanceOf(StoreException.class);
    }
}
