package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.parley.protocol.Mucs.configured;
import static org.parley.protocol.Mucs.instant;
import static org.parley.protocol.Mucs.muc;
import static org.parley.protocol.Mucs.next;
import static org.parley.protocol.Mucs.nick;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.mam.MamManager.MamQuery;
import org.jivesoftware.smackx.mam.MamManager.MamQueryArgs;
import org.jivesoftware.smackx.mam.element.MamElements.MamResultExtension;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.jivesoftware.smackx.xdata.FormField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.ServerExtension;

/**
 * A room's archive (XEP-0313 on the room's JID, XEP-0045 with XEP-0359 stanza-ids and XEP-0431
 * search), as Smack's MucManager and MamManager see it.
 */
class MucArchiveTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    private static MamManager mam(MultiUserChat room) {
        return MamManager.getInstanceFor(room);
    }

    private static List<String> bodies(List<Message> messages) {
        return messages.stream().map(Message::getBody).toList();
    }

    private static List<String> ids(MamQuery q) {
        return q.getMamResultExtensions().stream().map(MamResultExtension::getId).toList();
    }

    /** Sends the bodies and returns the stanza-ids the room gave them, as its occupant saw them. */
    private static List<String> say(MultiUserChat room, String... bodies) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String b : bodies) {
            room.sendMessage(b);
            Message echo = next(room);
            assertThat(echo.getBody()).isEqualTo(b);
            StanzaIdElement sid = StanzaIdElement.getStanzaId(echo);
            assertThat(sid).as("the room's stanza-id").isNotNull();
            assertThat(sid.getBy()).isEqualTo(room.getRoom().toString());
            ids.add(sid.getId());
        }
        return ids;
    }

    @Test
    void theRoomArchivesItsMessagesUnderTheStanzaIdsItSentAndPagesThem() throws Exception {
        XMPPTCPConnection alice = server.login("arch-alice");
        XMPPTCPConnection bob = server.login("arch-bob");
        try {
            MultiUserChat a = instant(alice, "archived", "Alice");
            MultiUserChat b = muc(bob, "archived");
            b.join(nick("Bob"));
            List<String> sent = say(a, "one", "two", "three", "four", "five");
            assertThat(ServiceDiscoveryManager.getInstanceFor(bob).discoverInfo(a.getRoom())
                    .containsFeature("urn:xmpp:mam:2")).as("the room announces its archive").isTrue();
            assertThat(mam(b).isSupported()).isTrue();

            MamQuery all = mam(b).queryArchive(MamQueryArgs.builder().build());
            assertThat(bodies(all.getMessages())).containsExactly("one", "two", "three", "four", "five");
            assertThat(ids(all)).as("the archive's ids are the stanza-ids the room sent").isEqualTo(sent);
            assertThat(all.getMessages().get(0).getFrom().toString()).isEqualTo("archived@conference.localhost/Alice");
            assertThat(all.isComplete()).isTrue();

            MamQuery last = mam(b).queryArchive(MamQueryArgs.builder().setResultPageSizeTo(2).queryLastPage().build());
            assertThat(bodies(last.getMessages())).containsExactly("four", "five");
            assertThat(last.isComplete()).isFalse();
            MamQuery earlier = mam(b).queryArchive(MamQueryArgs.builder().setResultPageSizeTo(2)
                    .beforeUid(sent.get(3)).build());
            assertThat(bodies(earlier.getMessages())).containsExactly("two", "three");
            MamQuery after = mam(b).queryArchive(MamQueryArgs.builder().afterUid(sent.get(2)).build());
            assertThat(bodies(after.getMessages())).as("catching up from the last id seen").containsExactly("four", "five");
            MamQuery byNick = mam(b).queryArchive(MamQueryArgs.builder()
                    .limitResultsToJid(JidCreate.from("archived@conference.localhost/Alice")).build());
            assertThat(byNick.getMessages()).hasSize(5);

            MamQuery search = mam(b).queryArchive(MamQueryArgs.builder().withAdditionalFormField(
                    FormField.textSingleBuilder("{urn:xmpp:fulltext:0}fulltext").setValue("three").build()).build());
            assertThat(bodies(search.getMessages())).as("XEP-0431 search of the room's archive").containsExactly("three");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void readMarkersAndChatStatesAreRelayedButNotArchived() throws Exception {
        XMPPTCPConnection alice = server.login("mark-alice");
        try {
            MultiUserChat a = instant(alice, "marked", "Alice");
            List<String> ids = say(a, "read me");
            Message marker = alice.getStanzaFactory().buildMessageStanza().to(a.getRoom()).ofType(Message.Type.groupchat)
                    .addExtension(StandardExtensionElement.builder("displayed", "urn:xmpp:chat-markers:0")
                            .addAttribute("id", ids.get(0)).build())
                    .build();
            alice.sendStanza(marker);
            Message echo = a.nextMessage(5000);
            while (echo != null && echo.getExtensionElement("displayed", "urn:xmpp:chat-markers:0") == null) {
                echo = a.nextMessage(5000);
            }
            assertThat(echo).as("the marker is relayed").isNotNull();
            assertThat(StanzaIdElement.getStanzaId(echo)).as("but not archived, so it has no archive id").isNull();
            say(a, "after the marker");
            assertThat(bodies(mam(a).queryArchive(MamQueryArgs.builder().build()).getMessages()))
                    .containsExactly("read me", "after the marker");
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void onlyMembersReadTheArchiveOfAMembersOnlyRoom() throws Exception {
        XMPPTCPConnection alice = server.login("mo-alice");
        XMPPTCPConnection bob = server.login("mo-bob");
        XMPPTCPConnection eve = server.login("mo-eve");
        try {
            MultiUserChat a = configured(alice, "private-archive", "Alice",
                    Map.of("muc#roomconfig_membersonly", true, "muc#roomconfig_whois", "anyone"));
            a.grantMembership(JidCreate.from("mo-bob@localhost"));
            say(a, "for members");

            MamQuery bobs = mam(muc(bob, "private-archive")).queryArchive(MamQueryArgs.builder().build());
            assertThat(bodies(bobs.getMessages())).as("a member who never joined reads it").containsExactly("for members");
            MUCUser x = MUCUser.from(bobs.getMessages().get(0));
            assertThat(x).as("a non-anonymous room shows the real JID").isNotNull();
            assertThat(x.getItem().getJid().toString()).isEqualTo("mo-alice@localhost");

            XMPPErrorException e = catchThrowableOfType(XMPPErrorException.class,
                    () -> mam(muc(eve, "private-archive")).queryArchive(MamQueryArgs.builder().build()));
            assertThat(e).as("a stranger may not read it").isNotNull();
            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden);
        } finally {
            alice.disconnect();
            bob.disconnect();
            eve.disconnect();
        }
    }

    @Test
    void aSemiAnonymousRoomShowsRealJidsInItsArchiveToModeratorsOnly() throws Exception {
        XMPPTCPConnection alice = server.login("semi-alice");
        XMPPTCPConnection bob = server.login("semi-bob");
        try {
            MultiUserChat a = instant(alice, "semi-archive", "Alice");
            MultiUserChat b = muc(bob, "semi-archive");
            b.join(nick("Bob"));
            say(b, "who am I");
            next(a);

            Message forBob = mam(b).queryArchive(MamQueryArgs.builder().build()).getMessages().get(0);
            assertThat(MUCUser.from(forBob)).as("a participant does not see real JIDs").isNull();
            Message forOwner = mam(a).queryArchive(MamQueryArgs.builder().build()).getMessages().get(0);
            assertThat(MUCUser.from(forOwner).getItem().getJid().toString()).isEqualTo("semi-bob@localhost");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void aMemberBackFromOfflineGetsWhatItMissedInHistoryAndFromTheArchive() throws Exception {
        XMPPTCPConnection alice = server.login("away-alice");
        XMPPTCPConnection bob = server.login("away-bob");
        try {
            MultiUserChat a = configured(alice, "family", "Alice", Map.of("muc#roomconfig_membersonly", true,
                    "muc#roomconfig_persistentroom", true));
            a.grantMembership(JidCreate.from("away-bob@localhost"));
            MultiUserChat b = muc(bob, "family");
            b.join(nick("Bob"));
            List<String> seen = say(b, "see you");
            next(a);
            b.leave();
            bob.disconnect();
            java.util.Date since = new java.util.Date();
            Thread.sleep(5);

            say(a, "dinner at 8", "bring bread");
            bob = server.login("away-bob");
            b = muc(bob, "family");
            b.join(b.getEnterConfigurationBuilder(nick("Bob"))
                    .requestHistorySince(since).build());
            assertThat(next(b).getBody()).isEqualTo("dinner at 8");
            assertThat(next(b).getBody()).isEqualTo("bring bread");

            MamQuery missed = mam(b).queryArchive(MamQueryArgs.builder().afterUid(seen.get(0)).build());
            assertThat(bodies(missed.getMessages())).containsExactly("dinner at 8", "bring bread");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void aRoomThatIsGoneTakesItsArchiveWithIt() throws Exception {
        XMPPTCPConnection alice = server.login("gone-alice");
        try {
            MultiUserChat a = instant(alice, "ephemeral", "Alice");
            say(a, "soon forgotten");
            Mucs.leave(alice, a);
            MultiUserChat again = instant(alice, "ephemeral", "Alice");
            assertThat(mam(again).queryArchive(MamQueryArgs.builder().build()).getMessages())
                    .as("a new room of the same name does not show the old one's messages").isEmpty();
        } finally {
            alice.disconnect();
        }
    }
}
