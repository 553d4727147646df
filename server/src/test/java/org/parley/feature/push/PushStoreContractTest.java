package org.parley.feature.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.auth.ScramCredentials;
import org.parley.store.StoreException;
import org.parley.store.sql.SqlStores;

/** The behaviour of every {@link PushStore}; a subclass supplies empty stores per test. */
abstract class PushStoreContractTest {

    protected abstract SqlStores stores();

    private PushStore push() {
        return new SqlPushStore(stores().database());
    }

    private void account(String name) {
        stores().accounts().create(name, List.of(new ScramCredentials(ScramCredentials.SHA_256, new byte[] {1},
                4096, new byte[] {2}, new byte[] {3})));
    }

    @Test
    void enabledRegistrationsAreListed() {
        account("alice");
        assertThat(push().enable("alice", new PushRegistration("push.example", "n1", "<x xmlns='jabber:x:data'/>"), 10))
                .isTrue();
        assertThat(push().enable("alice", new PushRegistration("other.example", "n2", null), 10)).isTrue();
        // Two registrations made in the same millisecond have no defined order.
        assertThat(push().list("alice")).containsExactlyInAnyOrder(
                new PushRegistration("push.example", "n1", "<x xmlns='jabber:x:data'/>"),
                new PushRegistration("other.example", "n2", null));
        assertThat(push().list("nobody")).isEmpty();
    }

    @Test
    void enablingAgainReplacesThePublishOptions() {
        account("alice");
        push().enable("alice", new PushRegistration("push.example", "n1", "<a/>"), 10);
        push().enable("alice", new PushRegistration("push.example", "n1", "<b/>"), 10);
        assertThat(push().list("alice")).containsExactly(new PushRegistration("push.example", "n1", "<b/>"));
    }

    @Test
    void theCapRefusesNewRegistrationsButNotUpdates() {
        account("alice");
        assertThat(push().enable("alice", new PushRegistration("p", "1", null), 2)).isTrue();
        assertThat(push().enable("alice", new PushRegistration("p", "2", null), 2)).isTrue();
        assertThat(push().enable("alice", new PushRegistration("p", "3", null), 2)).isFalse();
        assertThat(push().enable("alice", new PushRegistration("p", "2", "<x/>"), 2)).isTrue();
        assertThat(push().list("alice")).hasSize(2);
    }

    @Test
    void disableByNodeOrByJid() {
        account("alice");
        push().enable("alice", new PushRegistration("p", "1", null), 10);
        push().enable("alice", new PushRegistration("p", "2", null), 10);
        push().enable("alice", new PushRegistration("q", "1", null), 10);
        assertThat(push().disable("alice", "p", "1")).isEqualTo(1);
        assertThat(push().list("alice")).extracting(PushRegistration::node, PushRegistration::jid)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2", "p"), org.assertj.core.groups.Tuple.tuple("1", "q"));
        assertThat(push().disable("alice", "p", null)).isEqualTo(1);
        assertThat(push().list("alice")).containsExactly(new PushRegistration("q", "1", null));
        assertThat(push().disable("alice", "nothing", null)).isZero();
    }

    @Test
    void registrationsGoWithTheAccount() {
        account("alice");
        push().enable("alice", new PushRegistration("p", "1", null), 10);
        stores().accounts().delete("alice");
        assertThat(push().list("alice")).isEmpty();
    }

    @Test
    void onlyAccountsHaveRegistrations() {
        assertThatThrownBy(() -> push().enable("ghost", new PushRegistration("p", "1", null), 10))
                .isInstanceOf(StoreException.class);
    }
}
