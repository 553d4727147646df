package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * The authentication throttle against guessing from several addresses (127.0.0.0/8 on Linux
 * loopback): past its free failures an address is refused with temporary-auth-failure even with
 * the right password, over new connections too, while another address logs in; an account
 * guessed at is refused to addresses that have not logged into it, but its owner's address logs in.
 * The waits here are an hour, so nothing depends on timing. Two clients keep chatting throughout.
 */
class PasswordGuessingTest {

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_AUTH_FREE_FAILURES", "5",
            "PARLEY_AUTH_FREE_ACCOUNT_FAILURES", "3",
            "PARLEY_AUTH_THROTTLE_DELAY", "1h",
            "PARLEY_AUTH_SASL_FAILURE_DELAY", "0s"),
            "pg-alice", "pg-bob", "pg-victim", "pg-other");

    private static InetAddress local(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }

    /** One authentication attempt on a new connection from {@code from}; the server's answer. */
    private static Element attempt(int from, String user, String password, boolean scram) throws Exception {
        try (RawStreamClient c = RawStreamClient.directTlsFrom(server.get(), local(from))) {
            c.openAndReadFeatures(TestServer.DOMAIN);
            return scram ? c.authScram("SCRAM-SHA-256", user, password) : c.authPlain(user, password);
        }
    }

    private static String outcome(Element answer) {
        if (answer.is("success", Namespaces.SASL)) {
            return "success";
        }
        return answer.elementIn(Namespaces.SASL).name();
    }


    @Test
    void anAddressThatKeepsFailingIsRefusedBeforeAnyPasswordIsChecked() throws Exception {
        try (MessageInbox alice = server.inbox("pg-alice", "a");
             MessageInbox bob = server.inbox("pg-bob", "b")) {
            for (int i = 0; i < 5; i++) {
                // Five different (unknown) accounts: the address's count, not one account's.
                assertThat(outcome(attempt(10, "nobody" + i, "guess", i % 2 == 0))).isEqualTo("not-authorized");
            }
            alice.chatWith(bob, "during the guessing");
            Element refused = attempt(10, "pg-other", ServerExtension.password("pg-other"), false);
            assertThat(outcome(refused)).as("even the right password waits").isEqualTo("temporary-auth-failure");
            assertThat(refused.childText("text", Namespaces.SASL)).contains("try again in");
            assertThat(outcome(attempt(10, "pg-other", ServerExtension.password("pg-other"), true)))
                    .as("SCRAM too, before its first challenge").isEqualTo("temporary-auth-failure");
            assertThat(outcome(attempt(11, "pg-other", ServerExtension.password("pg-other"), true)))
                    .as("another address").isEqualTo("success");
            bob.chatWith(alice, "after the guessing");
        }
    }

    @Test
    void anAccountUnderAttackStaysOpenToItsOwnersAddress() throws Exception {
        try (MessageInbox alice = server.inbox("pg-alice", "a2");
             MessageInbox bob = server.inbox("pg-bob", "b2")) {
            assertThat(outcome(attempt(20, "pg-victim", ServerExtension.password("pg-victim"), true)))
                    .as("the owner logs in from its address").isEqualTo("success");
            for (int i = 0; i < 3; i++) {
                // The attacker moves between addresses: each stays under its own allowance.
                assertThat(outcome(attempt(21 + i, "pg-victim", "guess" + i, i % 2 == 0))).isEqualTo("not-authorized");
            }
            alice.chatWith(bob, "during the attack");
            assertThat(outcome(attempt(24, "pg-victim", ServerExtension.password("pg-victim"), false)))
                    .as("a new address may not try the account now").isEqualTo("temporary-auth-failure");
            assertThat(outcome(attempt(24, "pg-other", ServerExtension.password("pg-other"), false)))
                    .as("other accounts are not affected").isEqualTo("success");
            assertThat(outcome(attempt(20, "pg-victim", ServerExtension.password("pg-victim"), false)))
                    .as("the owner's address still logs in").isEqualTo("success");
            bob.chatWith(alice, "after the attack");
        }
    }
}
