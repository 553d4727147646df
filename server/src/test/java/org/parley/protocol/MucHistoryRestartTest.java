package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.protocol.Mucs.configured;
import static org.parley.protocol.Mucs.muc;
import static org.parley.protocol.Mucs.next;
import static org.parley.protocol.Mucs.nick;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.mam.MamManager.MamQueryArgs;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.Clients;
import org.parley.testing.TestServer;

/** A persistent room's history on joining is served from its archive, so it survives a restart. */
class MucHistoryRestartTest {
    @TempDir
    Path dir;

    @Test
    void historyOnJoiningComesBackAfterARestartWithTheSameStanzaIds() throws Exception {
        List<String> ids = new ArrayList<>();
        try (TestServer first = TestServer.start(dir)) {
            first.createUser("hr-alice", "hr-alice-pw");
            first.createUser("hr-bob", "hr-bob-pw");
            XMPPTCPConnection alice = new Clients(first).login("hr-alice", "hr-alice-pw");
            try {
                MultiUserChat a = configured(alice, "lasting", "Alice", Map.of("muc#roomconfig_persistentroom", true));
                for (String body : List.of("first", "second", "third")) {
                    a.sendMessage(body);
                    ids.add(StanzaIdElement.getStanzaId(next(a)).getId());
                }
                a.leave();
            } finally {
                alice.disconnect();
            }
        }
        try (TestServer second = TestServer.start(dir)) {
            XMPPTCPConnection bob = new Clients(second).login("hr-bob", "hr-bob-pw");
            try {
                MultiUserChat b = muc(bob, "lasting");
                b.join(b.getEnterConfigurationBuilder(nick("Bob")).requestMaxStanzasHistory(2).build());
                Message m2 = next(b);
                Message m3 = next(b);
                assertThat(List.of(m2.getBody(), m3.getBody())).containsExactly("second", "third");
                assertThat(DelayInformation.from(m2)).isNotNull();
                assertThat(StanzaIdElement.getStanzaId(m2).getId()).isEqualTo(ids.get(1));
                assertThat(StanzaIdElement.getStanzaId(m3).getId()).isEqualTo(ids.get(2));

                b.sendMessage("fourth");
                String fourth = StanzaIdElement.getStanzaId(next(b)).getId();
                assertThat(Long.parseLong(fourth)).as("ids keep their order across the restart")
                        .isGreaterThan(Long.parseLong(ids.get(2)));
                assertThat(MamManager.getInstanceFor(b).queryArchive(MamQueryArgs.builder().build()).getMessages())
                        .extracting(Message::getBody).containsExactly("first", "second", "third", "fourth");
            } finally {
                bob.disconnect();
            }
        }
    }
}
