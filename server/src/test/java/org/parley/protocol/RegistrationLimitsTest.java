package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.feature.register.InviteStore;
import org.parley.feature.register.SqlInviteStore;
import org.parley.store.Subscription;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * In-band registration under its limits, from several loopback addresses: one account per
 * address per window and a global rate (resource-constraint past either), and invitation-only
 * registration with XEP-0445 tokens (not-allowed without one, item-not-found for a bad or used
 * one; the inviter of a XEP-0379 invitation and the invitee become contacts). Two clients keep
 * chatting throughout.
 */
class RegistrationLimitsTest {

    @RegisterExtension
    static final ServerExtension open = ServerExtension.withEnv(Map.of(
            "PARLEY_REGISTRATION_PER_ADDRESS", "1",
            "PARLEY_REGISTRATION_ADDRESS_WINDOW", "1h",
            "PARLEY_REGISTRATION_PER_HOUR", "3"), "rl-alice", "rl-bob");

    @RegisterExtension
    static final ServerExtension invited = ServerExtension.withEnv(Map.of("PARLEY_REGISTRATION_MODE", "invite"),
            "in-alice", "in-bob");

    private static InetAddress local(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }

    private static RawStreamClient connect(ServerExtension server, int from) throws Exception {
        RawStreamClient c = RawStreamClient.directTlsFrom(server.get(), local(from));
        Element features = c.openAndReadFeatures(TestServer.DOMAIN);
        assertThat(features.element("register", "urn:xmpp:ibr-token:0")).as("XEP-0445 §4 feature").isNotNull();
        return c;
    }

    /** Registers on {@code c}; the error condition, or "result". */
    private static String register(RawStreamClient c, String user) throws Exception {
        c.send("<iq type='set' id='reg-" + user + "'><query xmlns='jabber:iq:register'><username>" + user
                + "</username><password>pw-" + user + "</password></query></iq>");
        return outcome(c.element());
    }

    private static String preauth(RawStreamClient c, String token) throws Exception {
        c.send("<iq type='set' id='pa' to='" + TestServer.DOMAIN + "'><preauth xmlns='urn:xmpp:pars:0' token='"
                + token + "'/></iq>");
        return outcome(c.element());
    }

    private static String outcome(Element reply) {
        return "result".equals(reply.attr("type")) ? "result" : RawStreamClient.stanzaErrorCondition(reply);
    }


    @Test
    void oneAccountPerAddressPerWindowAndAGlobalRate() throws Exception {
        try (MessageInbox alice = open.inbox("rl-alice", "a");
             MessageInbox bob = open.inbox("rl-bob", "b")) {
            try (RawStreamClient c = connect(open, 30)) {
                assertThat(register(c, "farm1")).isEqualTo("result");
                assertThat(register(c, "farm2")).as("the address's one account").isEqualTo("resource-constraint");
            }
            try (RawStreamClient c = connect(open, 30)) {
                assertThat(register(c, "farm3")).as("a new connection changes nothing").isEqualTo("resource-constraint");
            }
            alice.chatWith(bob, "during the farming");
            try (RawStreamClient c = connect(open, 31)) {
                assertThat(register(c, "rl-alice")).as("a taken name does not count").isEqualTo("conflict");
                assertThat(register(c, "other1")).isEqualTo("result");
            }
            try (RawStreamClient c = connect(open, 32)) {
                assertThat(register(c, "other2")).isEqualTo("result");
            }
            try (RawStreamClient c = connect(open, 33)) {
                assertThat(register(c, "other3")).as("three an hour in all").isEqualTo("resource-constraint");
            }
            assertThat(open.stores().accounts().exists("farm2")).isFalse();
            assertThat(open.stores().accounts().exists("other2")).isTrue();
            bob.chatWith(alice, "after the farming");
        }
    }

    @Test
    void byInvitationOnlyATokenRegistersOneAccount() throws Exception {
        InviteStore invites = new SqlInviteStore(invited.database());
        invites.add(new InviteStore.Invite("tok-server", null, Instant.now().plusSeconds(3600)));
        invites.add(new InviteStore.Invite("tok-alice", "in-alice", Instant.now().plusSeconds(3600)));
        invites.add(new InviteStore.Invite("tok-old", null, Instant.now().minusSeconds(1)));
        try (MessageInbox alice = invited.inbox("in-alice", "a");
             MessageInbox bob = invited.inbox("in-bob", "b")) {
            try (RawStreamClient c = connect(invited, 40)) {
                assertThat(register(c, "walkin")).isEqualTo("not-allowed");
                assertThat(preauth(c, "tok-nope")).isEqualTo("item-not-found");
                assertThat(preauth(c, "tok-old")).as("expired").isEqualTo("item-not-found");
                assertThat(preauth(c, "tok-server")).isEqualTo("result");
                assertThat(register(c, "newbie")).isEqualTo("result");
                assertThat(register(c, "newbie2")).as("one account per invitation").isEqualTo("not-allowed");
            }
            alice.chatWith(bob, "between the invitations");
            try (RawStreamClient c = connect(invited, 41)) {
                assertThat(preauth(c, "tok-server")).as("used up").isEqualTo("item-not-found");
                assertThat(preauth(c, "tok-alice")).isEqualTo("result");
                assertThat(register(c, "friend")).isEqualTo("result");
            }
            assertThat(invited.stores().accounts().exists("newbie")).isTrue();
            assertThat(invited.stores().roster().item("friend", "in-alice@localhost").orElseThrow().subscription())
                    .isEqualTo(Subscription.BOTH);
            assertThat(invited.stores().roster().item("in-alice", "friend@localhost").orElseThrow().subscription())
                    .isEqualTo(Subscription.BOTH);
            try (RawStreamClient friend = RawStreamClient.directTlsFrom(invited.get(), local(41))) {
                friend.openAndReadFeatures(TestServer.DOMAIN);
                assertThat(friend.authPlain("friend", "pw-friend").is("success", Namespaces.SASL)).isTrue();
            }
            bob.chatWith(alice, "after the invitations");
        }
    }
}
