package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.protocol.Mucs.configured;
import static org.parley.protocol.Mucs.joinError;
import static org.parley.protocol.Mucs.muc;
import static org.parley.protocol.Mucs.nick;

import java.nio.file.Path;
import java.util.Map;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jivesoftware.smackx.muc.Affiliate;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.store.sql.SqlStores;
import org.parley.testing.Clients;
import org.parley.testing.TestServer;

/** A removed account leaves every room: its occupancy, its affiliations (for good), its push choice. */
class MucAccountRemovalTest {
    @TempDir
    Path dir;

    private static MultiUserChat family(XMPPTCPConnection alice) throws Exception {
        MultiUserChat a = configured(alice, "family-rm", "Alice", Map.of("muc#roomconfig_membersonly", true,
                "muc#roomconfig_persistentroom", true));
        a.grantMembership(JidCreate.from("rm-bob@localhost"));
        return a;
    }

    private static void waitUntilGone(MultiUserChat room, String nick) throws InterruptedException {
        for (int i = 0; i < 100 && room.getOccupants().stream().anyMatch(o -> o.getResourceOrEmpty().toString()
                .equals(nick)); i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void anAccountRemovedWhileTheServerRunsLeavesItsRoomsAndLosesItsMembership() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.createUser("rm-alice", "rm-alice-pw");
            server.createUser("rm-bob", "rm-bob-pw");
            Clients clients = new Clients(server);
            XMPPTCPConnection alice = clients.login("rm-alice", "rm-alice-pw");
            XMPPTCPConnection bob = clients.login("rm-bob", "rm-bob-pw");
            try {
                MultiUserChat a = family(alice);
                muc(bob, "family-rm").join(nick("Bob"));
                for (int i = 0; i < 100 && a.getOccupants().size() < 2; i++) {
                    Thread.sleep(50); // Alice hears of Bob after his join returned
                }
                assertThat(a.getOccupants()).hasSize(2);

                AccountManager.getInstance(bob).deleteAccount();
                waitUntilGone(a, "Bob");
                assertThat(a.getOccupants()).as("Bob left the room with his sessions").hasSize(1);
                assertThat(a.getMembers()).as("and is no member any more").isEmpty();

                server.createUser("rm-bob", "rm-bob-pw");
                XMPPTCPConnection newBob = clients.login("rm-bob", "rm-bob-pw");
                try {
                    assertThat(joinError(muc(newBob, "family-rm"), "Bob", null))
                            .as("a new account of the same name is not the old member")
                            .isEqualTo(StanzaError.Condition.registration_required);
                } finally {
                    newBob.disconnect();
                }
            } finally {
                alice.disconnect();
                bob.disconnect();
            }
        }
        try (TestServer again = TestServer.start(dir)) {
            XMPPTCPConnection alice = new Clients(again).login("rm-alice", "rm-alice-pw");
            try {
                MultiUserChat a = muc(alice, "family-rm");
                a.join(nick("Alice"));
                assertThat(a.getMembers()).as("the membership is gone from the database too").isEmpty();
            } finally {
                alice.disconnect();
            }
        }
    }

    @Test
    void anAccountRemovedWhileTheServerIsStoppedIsSweptFromTheRoomsAtTheNextStart() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.createUser("rm-alice", "rm-alice-pw");
            server.createUser("rm-bob", "rm-bob-pw");
            XMPPTCPConnection alice = new Clients(server).login("rm-alice", "rm-alice-pw");
            try {
                assertThat(family(alice).getMembers()).extracting(Affiliate::getJid).extracting(Object::toString)
                        .containsExactly("rm-bob@localhost");
            } finally {
                alice.disconnect();
            }
        }
        // As the command line does with no server running: no module can name the account's JID.
        try (SqlStores stores = SqlStores.open("jdbc:sqlite:" + dir.resolve("parley.db"), 2)) {
            assertThat(stores.accounts().delete("rm-bob")).isTrue();
        }
        try (TestServer again = TestServer.start(dir)) {
            again.createUser("rm-bob", "rm-bob-pw");
            Clients clients = new Clients(again);
            XMPPTCPConnection alice = clients.login("rm-alice", "rm-alice-pw");
            XMPPTCPConnection bob = clients.login("rm-bob", "rm-bob-pw");
            try {
                MultiUserChat a = muc(alice, "family-rm");
                a.join(nick("Alice"));
                assertThat(a.getMembers()).isEmpty();
                assertThat(joinError(muc(bob, "family-rm"), "Bob", null))
                        .isEqualTo(StanzaError.Condition.registration_required);
            } finally {
                alice.disconnect();
                bob.disconnect();
            }
        }
    }
}
