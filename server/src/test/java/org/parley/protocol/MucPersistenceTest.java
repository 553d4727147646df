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
import org.jivesoftware.smackx.muc.Affiliate;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.muc.RoomInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.Clients;
import org.parley.testing.TestServer;

/** Persistent rooms keep their configuration, subject and affiliations across a restart; temporary ones do not. */
class MucPersistenceTest {
    private static String occupantId(org.jivesoftware.smack.packet.Presence p) {
        return ((org.jivesoftware.smack.packet.StandardExtensionElement) p.getExtensionElement("occupant-id",
                "urn:xmpp:occupant-id:0")).getAttributeValue("id");
    }

    @TempDir
    Path dir;

    @Test
    void aPersistentRoomSurvivesARestartWithItsConfigurationSubjectAndMembers() throws Exception {
        String[] occupantId = new String[1];
        try (TestServer first = TestServer.start(dir)) {
            first.createUser("keep-alice", "keep-alice-pw");
            first.createUser("keep-bob", "keep-bob-pw");
            first.createUser("keep-carol", "keep-carol-pw");
            XMPPTCPConnection alice = new Clients(first).login("keep-alice", "keep-alice-pw");
            try {
                MultiUserChat a = configured(alice, "kept", "Alice", Map.of("muc#roomconfig_persistentroom", true,
                        "muc#roomconfig_roomname", "Kept", "muc#roomconfig_membersonly", true));
                a.grantMembership(JidCreate.from("keep-bob@localhost"));
                a.changeSubject("Still here");
                org.jivesoftware.smackx.xdata.form.FillableForm reg = a.getRegistrationForm().getFillableForm();
                reg.setAnswer("muc#register_roomnick", "Alice");
                a.sendRegistrationForm(reg);
                occupantId[0] = occupantId(a.getOccupantPresence(JidCreate.entityFullFrom("kept@conference.localhost/Alice")));
                Mucs.instant(alice, "fleeting", "Alice");
                a.leave();
            } finally {
                alice.disconnect();
            }
        }
        try (TestServer second = TestServer.start(dir)) {
            Clients clients = new Clients(second);
            XMPPTCPConnection bob = clients.login("keep-bob", "keep-bob-pw");
            XMPPTCPConnection carol = clients.login("keep-carol", "keep-carol-pw");
            XMPPTCPConnection alice = clients.login("keep-alice", "keep-alice-pw");
            try {
                MultiUserChatManager manager = MultiUserChatManager.getInstanceFor(bob);
                RoomInfo info = manager.getRoomInfo(Mucs.room("kept"));
                assertThat(info.getName()).isEqualTo("Kept");
                assertThat(info.isPersistent()).isTrue();
                assertThat(info.isMembersOnly()).isTrue();
                assertThat(info.getSubject()).isEqualTo("Still here");
                assertThat(manager.getRoomsHostedBy(JidCreate.domainBareFrom(Mucs.SERVICE)).keySet())
                        .extracting(Object::toString).containsExactly("kept@conference.localhost");

                assertThat(joinError(muc(bob, "kept"), "Alice", null)).as("the reserved nickname, still reserved")
                        .isEqualTo(StanzaError.Condition.conflict);
                muc(bob, "kept").join(nick("Bob"));
                assertThat(joinError(muc(carol, "kept"), "Carol", null))
                        .isEqualTo(StanzaError.Condition.registration_required);
                MultiUserChat a = muc(alice, "kept");
                a.join(nick("Alice"));
                assertThat(a.getOwners()).extracting(Affiliate::getJid).extracting(Object::toString)
                        .containsExactly("keep-alice@localhost");
                assertThat(a.getMembers()).extracting(Affiliate::getJid).extracting(Object::toString)
                        .containsExactly("keep-bob@localhost");
                assertThat(a.getReservedNickname()).isEqualTo("Alice");
                assertThat(occupantId(a.getOccupantPresence(JidCreate.entityFullFrom("kept@conference.localhost/Alice"))))
                        .as("XEP-0421 ids survive a restart").isEqualTo(occupantId[0]);
            } finally {
                bob.disconnect();
                carol.disconnect();
                alice.disconnect();
            }
        }
    }

    @Test
    void aDestroyedPersistentRoomIsGoneAfterARestart() throws Exception {
        try (TestServer first = TestServer.start(dir)) {
            first.createUser("gone-alice", "gone-alice-pw");
            XMPPTCPConnection alice = new Clients(first).login("gone-alice", "gone-alice-pw");
            try {
                MultiUserChat a = configured(alice, "razed", "Alice", Map.of("muc#roomconfig_persistentroom", true));
                a.destroy("done", null);
            } finally {
                alice.disconnect();
            }
        }
        try (TestServer second = TestServer.start(dir)) {
            second.createUser("gone-bob", "gone-bob-pw");
            XMPPTCPConnection bob = new Clients(second).login("gone-bob", "gone-bob-pw");
            try {
                assertThat(MultiUserChatManager.getInstanceFor(bob)
                        .getRoomsHostedBy(JidCreate.domainBareFrom(Mucs.SERVICE))).isEmpty();
            } finally {
                bob.disconnect();
            }
        }
    }
}
