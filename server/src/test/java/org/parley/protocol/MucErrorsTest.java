package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.protocol.Mucs.configured;
import static org.parley.protocol.Mucs.instant;
import static org.parley.protocol.Mucs.joinError;
import static org.parley.protocol.Mucs.muc;
import static org.parley.protocol.Mucs.next;
import static org.parley.protocol.Mucs.nick;

import java.util.Map;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.ServerExtension;

/** The errors of XEP-0045 for entering and talking, private messages, several sessions of one nick, self-ping. */
class MucErrorsTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    private static final StanzaFilter ERRORS = new AndFilter(MessageTypeFilter.ERROR);

    /** Sends {@code m} and returns the condition of the error message it meets. */
    private static StanzaError.Condition errorOf(XMPPTCPConnection c, Message m) throws Exception {
        try (StanzaCollector errors = c.createStanzaCollectorAndSend(ERRORS, m)) {
            Message e = errors.nextResult(5000);
            assertThat(e).as("an error answers the message").isNotNull();
            return e.getError().getCondition();
        }
    }

    private static Message message(XMPPTCPConnection c, String to, Message.Type type, String body) {
        return c.getStanzaFactory().buildMessageStanza().to(JidCreate.fromOrThrowUnchecked(to)).ofType(type)
                .setBody(body).build();
    }

    /** The number of occupants as the room itself reports it (disco#info, §6.4). */
    private static int occupants(XMPPTCPConnection c, String room) throws Exception {
        return org.jivesoftware.smackx.muc.MultiUserChatManager.getInstanceFor(c).getRoomInfo(Mucs.room(room))
                .getOccupantsCount();
    }

    @Test
    void aPasswordProtectedRoomWantsItsPassword() throws Exception {
        XMPPTCPConnection alice = server.login("pw-alice");
        XMPPTCPConnection bob = server.login("pw-bob");
        try {
            configured(alice, "pw", "Alice", Map.of("muc#roomconfig_passwordprotectedroom", true,
                    "muc#roomconfig_roomsecret", "sesame"));
            assertThat(joinError(muc(bob, "pw"), "Bob", null)).isEqualTo(StanzaError.Condition.not_authorized);
            assertThat(joinError(muc(bob, "pw"), "Bob", "wrong")).isEqualTo(StanzaError.Condition.not_authorized);
            muc(bob, "pw").join(nick("Bob"), "sesame");
            assertThat(muc(bob, "pw").isJoined()).isTrue();
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void membersOnlyFullAndTakenNicknamesAreRefusedWithTheirErrors() throws Exception {
        XMPPTCPConnection alice = server.login("deny-alice");
        XMPPTCPConnection bob = server.login("deny-bob");
        XMPPTCPConnection carol = server.login("deny-carol");
        try {
            configured(alice, "members", "Alice", Map.of("muc#roomconfig_membersonly", true));
            assertThat(joinError(muc(bob, "members"), "Bob", null))
                    .isEqualTo(StanzaError.Condition.registration_required);

            configured(alice, "small", "Alice", Map.of("muc#roomconfig_maxusers", "2"));
            muc(bob, "small").join(nick("Bob"));
            assertThat(joinError(muc(carol, "small"), "Carol", null))
                    .isEqualTo(StanzaError.Condition.service_unavailable);

            instant(alice, "taken", "Alice");
            assertThat(joinError(muc(bob, "taken"), "Alice", null)).isEqualTo(StanzaError.Condition.conflict);
        } finally {
            alice.disconnect();
            bob.disconnect();
            carol.disconnect();
        }
    }

    @Test
    void anInvalidConfigurationIsNotAcceptableAndChangesNothing() throws Exception {
        XMPPTCPConnection alice = server.login("form-alice");
        try {
            MultiUserChat a = instant(alice, "form", "Alice");
            XMPPErrorException e = org.assertj.core.api.Assertions.catchThrowableOfType(XMPPErrorException.class,
                    () -> Mucs.configure(a, Map.of("muc#roomconfig_maxusers", "lots")));
            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.not_acceptable);
            e = org.assertj.core.api.Assertions.catchThrowableOfType(XMPPErrorException.class,
                    () -> Mucs.configure(a, Map.of("muc#roomconfig_passwordprotectedroom", true)));
            assertThat(e.getStanzaError().getCondition()).as("a password-protected room without a password")
                    .isEqualTo(StanzaError.Condition.not_acceptable);
            org.jivesoftware.smackx.muc.packet.MUCOwner other = new org.jivesoftware.smackx.muc.packet.MUCOwner();
            other.setTo(a.getRoom());
            other.setType(org.jivesoftware.smack.packet.IQ.Type.set);
            other.addExtension(org.jivesoftware.smackx.xdata.packet.DataForm.builder(
                    org.jivesoftware.smackx.xdata.packet.DataForm.Type.submit).setFormType("urn:example:not-roomconfig")
                    .build());
            e = org.assertj.core.api.Assertions.catchThrowableOfType(XMPPErrorException.class,
                    () -> alice.createStanzaCollectorAndSend(other).nextResultOrThrow());
            assertThat(e.getStanzaError().getCondition()).as("a form that is not muc#roomconfig")
                    .isEqualTo(StanzaError.Condition.bad_request);
            assertThat(a.getConfigurationForm().getField("muc#roomconfig_maxusers").getFirstValue()).isEqualTo("200");
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void strangersAndVisitorsCannotSpeakWhileOccupantsKeepChatting() throws Exception {
        XMPPTCPConnection alice = server.login("talk-alice");
        XMPPTCPConnection bob = server.login("talk-bob");
        XMPPTCPConnection mallory = server.login("talk-mallory");
        try {
            MultiUserChat a = configured(alice, "moderated", "Alice", Map.of("muc#roomconfig_moderatedroom", true));
            MultiUserChat b = muc(bob, "moderated");
            b.join(nick("Bob"));
            assertThat(errorOf(bob, message(bob, "moderated@conference.localhost", Message.Type.groupchat, "hi")))
                    .as("a visitor in a moderated room").isEqualTo(StanzaError.Condition.forbidden);

            for (int i = 0; i < 20; i++) {
                assertThat(errorOf(mallory, message(mallory, "moderated@conference.localhost", Message.Type.groupchat,
                        "spam " + i))).as("not an occupant").isEqualTo(StanzaError.Condition.not_acceptable);
            }
            assertThat(errorOf(mallory, message(mallory, "nowhere@conference.localhost", Message.Type.groupchat, "x")))
                    .isEqualTo(StanzaError.Condition.item_not_found);

            a.sendMessage("still here");
            assertThat(next(b).getBody()).isEqualTo("still here");
        } finally {
            alice.disconnect();
            bob.disconnect();
            mallory.disconnect();
        }
    }

    @Test
    void occupantsTalkPrivatelyUnlessTheRoomForbidsIt() throws Exception {
        XMPPTCPConnection alice = server.login("pm-alice");
        XMPPTCPConnection bob = server.login("pm-bob");
        try {
            MultiUserChat a = instant(alice, "pm", "Alice");
            muc(bob, "pm").join(nick("Bob"));
            try (StanzaCollector toBob = bob.createStanzaCollector(MessageTypeFilter.CHAT)) {
                alice.sendStanza(message(alice, "pm@conference.localhost/Bob", Message.Type.chat, "psst"));
                Message m = toBob.nextResult(5000);
                assertThat(m.getBody()).isEqualTo("psst");
                assertThat(m.getFrom().toString()).isEqualTo("pm@conference.localhost/Alice");
                assertThat(MUCUser.from(m)).as("marked as a private message of the room").isNotNull();
            }
            assertThat(errorOf(alice, message(alice, "pm@conference.localhost/Nobody", Message.Type.chat, "?")))
                    .isEqualTo(StanzaError.Condition.item_not_found);
            assertThat(errorOf(alice, message(alice, "pm@conference.localhost/Bob", Message.Type.groupchat, "?")))
                    .isEqualTo(StanzaError.Condition.bad_request);

            Mucs.configure(a, Map.of("muc#roomconfig_allowpm", "none"));
            assertThat(errorOf(bob, message(bob, "pm@conference.localhost/Alice", Message.Type.chat, "psst")))
                    .isEqualTo(StanzaError.Condition.forbidden);
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void twoDevicesOfOneUserShareANicknameAndEachGetsTheMessages() throws Exception {
        XMPPTCPConnection alice = server.login("multi-alice");
        server.account("multi-bob");
        XMPPTCPConnection phone = server.clients().login("multi-bob", ServerExtension.password("multi-bob"), "phone");
        XMPPTCPConnection laptop = server.clients().login("multi-bob", ServerExtension.password("multi-bob"), "laptop");
        try {
            MultiUserChat a = instant(alice, "multi", "Alice");
            MultiUserChat p = muc(phone, "multi");
            p.join(nick("Bob"));
            MultiUserChat l = muc(laptop, "multi");
            l.join(nick("Bob"));
            assertThat(occupants(alice, "multi")).isEqualTo(2);

            a.sendMessage("to both");
            assertThat(next(p).getBody()).isEqualTo("to both");
            assertThat(next(l).getBody()).isEqualTo("to both");

            p.leave();
            a.sendMessage("still there");
            assertThat(next(l).getBody()).isEqualTo("still there");
            assertThat(occupants(alice, "multi")).as("the nick stays while one device is joined").isEqualTo(2);

            Ping self = new Ping(laptop, JidCreate.from("multi@conference.localhost/Bob"));
            laptop.createStanzaCollectorAndSend(self).nextResultOrThrow();
            Ping gone = new Ping(phone, JidCreate.from("multi@conference.localhost/Bob"));
            XMPPErrorException notJoined = org.assertj.core.api.Assertions.catchThrowableOfType(XMPPErrorException.class,
                    () -> phone.createStanzaCollectorAndSend(gone).nextResultOrThrow());
            assertThat(notJoined.getStanzaError().getCondition()).as("XEP-0410: not joined")
                    .isEqualTo(StanzaError.Condition.not_acceptable);
        } finally {
            alice.disconnect();
            phone.disconnect();
            laptop.disconnect();
        }
    }
}
