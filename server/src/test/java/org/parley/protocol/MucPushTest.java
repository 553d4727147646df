package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.parley.protocol.ImClients.rawIq;
import static org.parley.protocol.Mucs.configured;
import static org.parley.protocol.Mucs.muc;
import static org.parley.protocol.Mucs.next;
import static org.parley.protocol.Mucs.nick;
import static org.parley.protocol.PushTest.APP_SERVER;
import static org.parley.protocol.PushTest.PUBSUB;
import static org.parley.protocol.PushTest.appServer;
import static org.parley.protocol.PushTest.enableAndLeave;
import static org.parley.protocol.PushTest.nextPublish;
import static org.parley.protocol.PushTest.phone;
import static org.parley.protocol.PushTest.summary;

import java.time.Duration;
import java.util.Map;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.RawComponentClient;
import org.parley.testing.ServerExtension;
import org.parley.xml.Element;

/**
 * Push notifications (XEP-0357) for a room's members who are not in it, opted into per room with
 * Parley's {@code urn:parley:muc:push:0}: all messages or mentions of the nickname.
 */
class MucPushTest {
    private static final String NS = "urn:parley:muc:push:0";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_COMPONENTS_PORT", "0",
            "PARLEY_COMPONENTS_SERVICES", APP_SERVER + "=app-secret",
            "PARLEY_PUSH_MIN_INTERVAL", "0s",
            "PARLEY_PUSH_INCLUDE_BODY", "true"));

    private static IQ notify(MultiUserChat room, String when) {
        return rawIq(IQ.Type.set, "notify", NS, room.getRoom(), " when='" + when + "'", "");
    }

    private static String asked(XMPPConnection c, MultiUserChat room) throws Exception {
        IQ answer = c.sendIqRequestAndWaitForResponse(rawIq(IQ.Type.get, "notify", NS, room.getRoom(), "", ""));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("when=(?:'|\"|&apos;|&quot;)(\\w+)")
                .matcher(answer.toXML().toString());
        assertThat(m.find()).as("a <notify/> answer: " + answer.toXML()).isTrue();
        return m.group(1);
    }

    private static StanzaError.Condition errorOf(XMPPConnection c, IQ request) {
        XMPPErrorException e = catchThrowableOfType(XMPPErrorException.class,
                () -> c.sendIqRequestAndWaitForResponse(request));
        assertThat(e).as("an error reply").isNotNull();
        return e.getStanzaError().getCondition();
    }

    /** Asks for notifications of {@code room} as {@code user} (after joining once as {@code nick}) and goes offline. */
    private static void optIn(String user, String room, String nick, String when) throws Exception {
        XMPPTCPConnection c = phone(server, user);
        try {
            MultiUserChat m = muc(c, room);
            m.join(nick(nick));
            c.sendIqRequestAndWaitForResponse(notify(m, when));
            assertThat(asked(c, m)).isEqualTo(when);
            m.leave();
        } finally {
            c.disconnect();
        }
    }

    private static String node(Element publish) {
        return publish.element("pubsub", PUBSUB).element("publish", PUBSUB).attr("node");
    }

    @Test
    void membersAwayFromTheRoomAreNotifiedOfAllMessagesOrOfMentions() throws Exception {
        try (RawComponentClient app = appServer(server)) {
            enableAndLeave(server, "mp-bob", "bob-node");
            enableAndLeave(server, "mp-carol", "carol-node");
            XMPPTCPConnection alice = phone(server, "mp-alice");
            try {
                MultiUserChat a = configured(alice, "family-push", "Alice", Map.of("muc#roomconfig_membersonly", true,
                        "muc#roomconfig_persistentroom", true));
                assertThat(ServiceDiscoveryManager.getInstanceFor(alice).discoverInfo(a.getRoom()).containsFeature(NS))
                        .isTrue();
                a.grantMembership(JidCreate.from("mp-bob@localhost"));
                a.grantMembership(JidCreate.from("mp-carol@localhost"));
                optIn("mp-bob", "family-push", "Bob", "all");
                optIn("mp-carol", "family-push", "Carol", "mentions");

                a.sendMessage("dinner is ready");
                next(a);
                Element forBob = nextPublish(app);
                assertThat(node(forBob)).as("everything for Bob, nothing for Carol").isEqualTo("bob-node");
                assertThat(forBob.attr("from")).isEqualTo("mp-bob@localhost");
                assertThat(summary(forBob)).containsEntry("last-message-sender", "family-push@conference.localhost/Alice")
                        .containsEntry("last-message-body", "dinner is ready");
                app.result(forBob);
                assertThat(app.quietFor(Duration.ofMillis(700))).isTrue();

                a.sendMessage("carol, bring the bread");
                next(a);
                Element first = nextPublish(app);
                app.result(first);
                Element second = nextPublish(app);
                app.result(second);
                assertThat(java.util.List.of(node(first), node(second))).containsExactlyInAnyOrder("bob-node", "carol-node");

                XMPPTCPConnection bob = phone(server, "mp-bob");
                try {
                    muc(bob, "family-push").join(nick("Bob"));
                    a.sendMessage("bob is here now");
                    next(a);
                    assertThat(app.quietFor(Duration.ofMillis(700))).as("no push while Bob is in the room").isTrue();
                    bob.sendIqRequestAndWaitForResponse(notify(muc(bob, "family-push"), "never"));
                    assertThat(asked(bob, muc(bob, "family-push"))).isEqualTo("never");
                } finally {
                    bob.disconnect();
                }
                a.sendMessage("after bob opted out");
                next(a);
                assertThat(app.quietFor(Duration.ofMillis(700))).as("Bob opted out, Carol is not named").isTrue();
            } finally {
                alice.disconnect();
            }
        }
    }

    @Test
    void onlyMembersMayAskAndWhenMustBeKnown() throws Exception {
        XMPPTCPConnection alice = phone(server, "mpe-alice");
        XMPPTCPConnection eve = phone(server, "mpe-eve");
        try {
            MultiUserChat a = configured(alice, "open-push", "Alice", Map.of());
            MultiUserChat e = muc(eve, "open-push");
            e.join(nick("Eve"));
            assertThat(errorOf(eve, notify(e, "all"))).isEqualTo(StanzaError.Condition.forbidden);
            assertThat(errorOf(alice, notify(a, "sometimes"))).isEqualTo(StanzaError.Condition.bad_request);
            assertThat(asked(eve, e)).isEqualTo("never");
        } finally {
            alice.disconnect();
            eve.disconnect();
        }
    }
}
