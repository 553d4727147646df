package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.parley.protocol.Mucs.instant;
import static org.parley.protocol.Mucs.muc;
import static org.parley.protocol.Mucs.next;
import static org.parley.protocol.Mucs.nick;
import static org.parley.protocol.Mucs.room;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.jivesoftware.smackx.muc.HostedRoom;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.muc.RoomInfo;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.ServerExtension;

/** XEP-0045 rooms as Smack's MultiUserChat sees them: create, join, talk, nick, subject, leave, discovery. */
class MucRoomsTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    /** Collects the presences the room sends a client, in order. */
    private static BlockingQueue<Presence> presences(MultiUserChat muc) {
        BlockingQueue<Presence> q = new LinkedBlockingQueue<>();
        muc.addParticipantListener(q::add);
        return q;
    }

    private static Presence nextPresence(BlockingQueue<Presence> q) throws InterruptedException {
        Presence p = q.poll(5, TimeUnit.SECONDS);
        assertThat(p).as("a presence from the room").isNotNull();
        return p;
    }

    /** The room's subject as the client knows it, once it is {@code expected} or after a few seconds. */
    private static String subjectOf(MultiUserChat muc, String expected) throws InterruptedException {
        for (int i = 0; i < 50 && !expected.equals(muc.getSubject()); i++) {
            Thread.sleep(100);
        }
        return muc.getSubject();
    }

    @Test
    void anInstantRoomIsCreatedJoinedTalkedInAndLeft() throws Exception {
        XMPPTCPConnection alice = server.login("rooms-alice");
        XMPPTCPConnection bob = server.login("rooms-bob");
        try {
            MultiUserChat a = instant(alice, "talk", "Alice");
            BlockingQueue<Presence> seenByAlice = presences(a);
            MultiUserChat b = muc(bob, "talk");
            BlockingQueue<Presence> seenByBob = presences(b);
            b.join(nick("Bob"));

            Presence bobJoined = nextPresence(seenByAlice);
            assertThat(bobJoined.getFrom().toString()).isEqualTo("talk@conference.localhost/Bob");
            MUCUser item = MUCUser.from(bobJoined);
            assertThat(item.getItem().getRole().toString()).isEqualTo("participant");
            assertThat(String.valueOf(item.getItem().getJid())).as("a moderator sees real JIDs in a semi-anonymous room")
                    .isEqualTo("rooms-bob@localhost/test");
            assertThat(org.jivesoftware.smackx.disco.ServiceDiscoveryManager.getInstanceFor(bob)
                    .discoverItems(room("talk")).getItems()).extracting(i -> i.getEntityID().toString())
                    .containsExactlyInAnyOrder("talk@conference.localhost/Alice", "talk@conference.localhost/Bob");
            Presence aliceSeen = nextPresence(seenByBob);
            assertThat(aliceSeen.getFrom().toString()).isEqualTo("talk@conference.localhost/Alice");
            assertThat((Object) MUCUser.from(aliceSeen).getItem().getJid())
                    .as("a participant does not see real JIDs in a semi-anonymous room").isNull();

            b.sendMessage("hello room");
            for (MultiUserChat m : List.of(a, b)) {
                Message got = next(m);
                assertThat(got.getBody()).isEqualTo("hello room");
                assertThat(got.getFrom().toString()).isEqualTo("talk@conference.localhost/Bob");
                StanzaIdElement sid = StanzaIdElement.getStanzaId(got);
                assertThat(sid).as("the room's stanza-id").isNotNull();
                assertThat(sid.getBy()).isEqualTo("talk@conference.localhost");
            }

            b.leave();
            Presence left = nextPresence(seenByAlice);
            assertThat(left.getType()).isEqualTo(Presence.Type.unavailable);
            assertThat(left.getFrom().toString()).isEqualTo("talk@conference.localhost/Bob");
            assertThat(a.getOccupants()).hasSize(1);
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void aNewRoomIsLockedUntilItsOwnerAcceptsTheConfiguration() throws Exception {
        XMPPTCPConnection alice = server.login("lock-alice");
        XMPPTCPConnection bob = server.login("lock-bob");
        try {
            MultiUserChat a = muc(alice, "locked");
            MultiUserChat.MucCreateConfigFormHandle handle = a.create(nick("Alice"));

            assertThat(Mucs.joinError(muc(bob, "locked"), "Bob", null))
                    .isEqualTo(StanzaError.Condition.item_not_found);

            BlockingQueue<Presence> seenByAlice = presences(a);
            handle.makeInstant();
            muc(bob, "locked").join(nick("Bob"));
            assertThat(nextPresence(seenByAlice).getFrom().toString()).isEqualTo("locked@conference.localhost/Bob");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    /**
     * Raw presences, not Smack's {@code changeNickname}: Smack 4.4.8 blocks its own stanza
     * processing when the unavailable presence of the old nickname carries status 110, as
     * XEP-0045 §7.6 (Example 52) has it, until its reply timeout.
     */
    @Test
    void aNicknameChangeIsAnnouncedWithStatus303() throws Exception {
        XMPPTCPConnection alice = server.login("nick-alice");
        XMPPTCPConnection bob = server.login("nick-bob");
        try {
            MultiUserChat a = instant(alice, "nicks", "Alice");
            BlockingQueue<Presence> seenByAlice = presences(a);
            BlockingQueue<Presence> seenByBob = new LinkedBlockingQueue<>();
            bob.addSyncStanzaListener(p -> seenByBob.add((Presence) p), p -> p instanceof Presence
                    && p.getFrom() != null && p.getFrom().asBareJid().toString().equals("nicks@conference.localhost"));
            muc(bob, "nicks").join(nick("Bob"));
            assertThat(nextPresence(seenByAlice).getFrom().toString()).isEqualTo("nicks@conference.localhost/Bob");
            assertThat(nextPresence(seenByBob).getFrom().toString()).isEqualTo("nicks@conference.localhost/Alice");
            assertThat(nextPresence(seenByBob).getFrom().toString()).isEqualTo("nicks@conference.localhost/Bob");

            bob.sendStanza(bob.getStanzaFactory().buildPresenceStanza().to(JidCreate.from("nicks@conference.localhost/Robert")).build());

            for (BlockingQueue<Presence> q : List.of(seenByAlice, seenByBob)) {
                Presence gone = nextPresence(q);
                assertThat(gone.getType()).isEqualTo(Presence.Type.unavailable);
                assertThat(gone.getFrom().toString()).isEqualTo("nicks@conference.localhost/Bob");
                MUCUser x = MUCUser.from(gone);
                assertThat(x.getStatus()).contains(MUCUser.Status.NEW_NICKNAME_303);
                assertThat(x.getItem().getNick()).hasToString("Robert");
                Presence back = nextPresence(q);
                assertThat(back.getType()).isEqualTo(Presence.Type.available);
                assertThat(back.getFrom().toString()).isEqualTo("nicks@conference.localhost/Robert");
                assertThat(MUCUser.from(back).getStatus().contains(MUCUser.Status.PRESENCE_TO_SELF_110))
                        .as("110 only to the one who changed").isEqualTo(q == seenByBob);
            }

            bob.sendStanza(bob.getStanzaFactory().buildPresenceStanza().to(JidCreate.from("nicks@conference.localhost/Alice")).build());
            Presence taken = nextPresence(seenByBob);
            assertThat(taken.getType()).isEqualTo(Presence.Type.error);
            assertThat(taken.getError().getCondition()).isEqualTo(StanzaError.Condition.conflict);
            assertThat(a.getOccupants()).extracting(Object::toString)
                    .containsExactlyInAnyOrder("nicks@conference.localhost/Alice", "nicks@conference.localhost/Robert");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void moderatorsSetTheSubjectAndParticipantsOnlyWhenTheRoomAllowsIt() throws Exception {
        XMPPTCPConnection alice = server.login("subject-alice");
        XMPPTCPConnection bob = server.login("subject-bob");
        XMPPTCPConnection carol = server.login("subject-carol");
        try {
            MultiUserChat a = instant(alice, "topics", "Alice");
            MultiUserChat b = muc(bob, "topics");
            b.join(nick("Bob"));

            a.changeSubject("Plans");
            assertThat(subjectOf(b, "Plans")).isEqualTo("Plans");
            // Raw: Smack's changeSubject waits for a groupchat message only, and misses the error of §8.1.
            Message change = bob.getStanzaFactory().buildMessageStanza().to(room("topics"))
                    .ofType(Message.Type.groupchat).setSubject("Mine").build();
            try (StanzaCollector errors = bob.createStanzaCollectorAndSend(MessageTypeFilter.ERROR, change)) {
                Message refused = errors.nextResult(5000);
                assertThat(refused).as("the refusal").isNotNull();
                assertThat(refused.getError().getCondition()).isEqualTo(StanzaError.Condition.forbidden);
            }
            assertThat(a.getSubject()).isEqualTo("Plans");

            Mucs.configure(a, Map.of("muc#roomconfig_changesubject", true));
            b.changeSubject("Ours");
            assertThat(subjectOf(a, "Ours")).isEqualTo("Ours");

            MultiUserChat c = muc(carol, "topics");
            c.join(nick("Carol"));
            assertThat(subjectOf(c, "Ours")).as("a newcomer gets the subject").isEqualTo("Ours");
        } finally {
            alice.disconnect();
            bob.disconnect();
            carol.disconnect();
        }
    }

    @Test
    void aJoiningOccupantGetsTheHistoryItAsksForWithDelays() throws Exception {
        XMPPTCPConnection alice = server.login("history-alice");
        XMPPTCPConnection bob = server.login("history-bob");
        XMPPTCPConnection carol = server.login("history-carol");
        try {
            MultiUserChat a = instant(alice, "history", "Alice");
            for (int i = 1; i <= 3; i++) {
                a.sendMessage("m" + i);
                next(a);
            }

            MultiUserChat b = muc(bob, "history");
            b.join(nick("Bob"));
            for (int i = 1; i <= 3; i++) {
                Message m = next(b);
                assertThat(m.getBody()).isEqualTo("m" + i);
                assertThat(DelayInformation.from(m)).as("history is delayed").isNotNull();
                assertThat(StanzaIdElement.getStanzaId(m)).isNotNull();
            }

            MultiUserChat c = muc(carol, "history");
            c.join(b.getEnterConfigurationBuilder(nick("Carol")).requestMaxStanzasHistory(1).build());
            assertThat(next(c).getBody()).isEqualTo("m3");
            Message after = c.nextMessage(5000);
            assertThat(after.getBody()).as("the subject follows the history asked for, and nothing more").isNull();
            assertThat(after.getSubject()).isNotNull();
        } finally {
            alice.disconnect();
            bob.disconnect();
            carol.disconnect();
        }
    }

    @Test
    void temporaryRoomsVanishWhenEmptyAndPublicRoomsAreListedWithTheirInfo() throws Exception {
        XMPPTCPConnection alice = server.login("disco-alice");
        try {
            MultiUserChatManager manager = MultiUserChatManager.getInstanceFor(alice);
            assertThat(manager.getMucServiceDomains()).extracting(Object::toString).contains(Mucs.SERVICE);
            MultiUserChat a = Mucs.configured(alice, "lounge", "Alice", Map.of(
                    "muc#roomconfig_roomname", "The Lounge", "muc#roomconfig_roomdesc", "for chatting"));
            Mucs.configured(alice, "secret", "Alice", Map.of("muc#roomconfig_publicroom", false));
            a.changeSubject("Welcome");

            assertThat(manager.getRoomsHostedBy(JidCreate.domainBareFrom(Mucs.SERVICE)).values())
                    .extracting(HostedRoom::getJid).extracting(Object::toString)
                    .contains("lounge@conference.localhost").doesNotContain("secret@conference.localhost");
            RoomInfo info = manager.getRoomInfo(room("lounge"));
            assertThat(info.getName()).isEqualTo("The Lounge");
            assertThat(info.getDescription()).isEqualTo("for chatting");
            assertThat(info.getSubject()).isEqualTo("Welcome");
            assertThat(info.getOccupantsCount()).isEqualTo(1);
            assertThat(info.isPersistent()).isFalse();
            assertThat(org.jivesoftware.smackx.disco.ServiceDiscoveryManager.getInstanceFor(alice)
                    .discoverItems(room("lounge")).getItems()).extracting(i -> i.getEntityID().toString())
                    .as("a public room lists its occupants").containsExactly("lounge@conference.localhost/Alice");

            a.leave();
            XMPPErrorException gone = catchThrowableOfType(XMPPErrorException.class,
                    () -> manager.getRoomInfo(room("lounge")));
            assertThat(gone.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found);
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void aNonAnonymousLoggedRoomTellsEveryoneRealJidsWithStatus100And170() throws Exception {
        XMPPTCPConnection alice = server.login("open-alice");
        XMPPTCPConnection bob = server.login("open-bob");
        try {
            Mucs.configured(alice, "open", "Alice", Map.of("muc#roomconfig_whois", "anyone",
                    "muc#roomconfig_enablelogging", true));
            MultiUserChat b = muc(bob, "open");
            BlockingQueue<Presence> seenByBob = presences(b);
            b.join(nick("Bob"));
            Presence aliceSeen = nextPresence(seenByBob);
            assertThat(aliceSeen.getFrom().toString()).isEqualTo("open@conference.localhost/Alice");
            assertThat(String.valueOf(MUCUser.from(aliceSeen).getItem().getJid())).isEqualTo("open-alice@localhost/test");
            Presence self = null;
            for (Presence p = seenByBob.poll(5, TimeUnit.SECONDS); p != null; p = seenByBob.poll(1, TimeUnit.SECONDS)) {
                if (p.getFrom().toString().endsWith("/Bob")) {
                    self = p;
                    break;
                }
            }
            assertThat(self).isNotNull();
            assertThat(MUCUser.from(self).getStatus()).contains(MUCUser.Status.PRESENCE_TO_SELF_110,
                    MUCUser.Status.create(100), MUCUser.Status.create(170));
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }
}
