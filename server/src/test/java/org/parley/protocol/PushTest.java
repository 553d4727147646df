package org.parley.protocol;

import org.parley.feature.push.SqlPushStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.chatstates.ChatState;
import org.jivesoftware.smackx.chatstates.packet.ChatStateExtension;
import org.jivesoftware.smackx.push_notifications.PushNotificationsManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawComponentClient;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.xml.Element;

/**
 * Push notifications (XEP-0357): a Smack client registers an app server, which here is a raw
 * external component (XEP-0114), and the app server sees what a user's missed messages produce.
 */
class PushTest {
    static final String ACCEPT = RawComponentClient.ACCEPT;
    static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    static final String DATA = "jabber:x:data";
    static final String APP_SERVER = "push.localhost";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_COMPONENTS_PORT", "0",
            "PARLEY_COMPONENTS_SERVICES", APP_SERVER + "=app-secret",
            "PARLEY_PUSH_MIN_INTERVAL", "1s",
            "PARLEY_PUSH_MAX_REGISTRATIONS", "3"));

    static RawComponentClient appServer(ServerExtension on) throws Exception {
        return RawComponentClient.connect(on.get().server().componentPort(), APP_SERVER, "app-secret");
    }

    /** A client without stream management, so that leaving really makes the user offline. */
    static XMPPTCPConnection phone(ServerExtension on, String user) throws Exception {
        on.account(user);
        XMPPTCPConnection c = new XMPPTCPConnection(on.clients().builder()
                .setUsernameAndPassword(user, ServerExtension.password(user)).setResource("phone").build());
        c.setUseStreamManagement(false);
        c.setReplyTimeout(5000);
        c.connect().login();
        return c;
    }

    /** Logs in, enables push for {@code node} with a secret in the publish options, and logs out. */
    static void enableAndLeave(ServerExtension on, String user, String node) throws Exception {
        XMPPTCPConnection c = phone(on, user);
        try {
            HashMap<String, String> options = new HashMap<>();
            options.put("secret", "s-" + node);
            assertThat(PushNotificationsManager.getInstanceFor(c).enable(JidCreate.from(APP_SERVER), node, options))
                    .isTrue();
        } finally {
            c.disconnect();
        }
    }

    /** The next publish IQ the app server receives. */
    static Element nextPublish(RawComponentClient app) {
        return app.expect(e -> e.is("iq", ACCEPT) && "set".equals(e.attr("type"))
                && e.element("pubsub", PUBSUB) != null, "a push publish");
    }

    /** The fields of the notification's summary form. */
    static Map<String, String> summary(Element publishIq) {
        Element item = publishIq.element("pubsub", PUBSUB).element("publish", PUBSUB).element("item", PUBSUB);
        Element form = item.element("notification", "urn:xmpp:push:0").element("x", DATA);
        return fields(form);
    }

    static Map<String, String> fields(Element form) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Element f : form.elements("field", DATA)) {
            out.put(f.attr("var"), f.childText("value", DATA));
        }
        return out;
    }

    @Test
    void theAccountAnnouncesPush() throws Exception {
        XMPPTCPConnection c = phone(server, "disco-user");
        try {
            assertThat(PushNotificationsManager.getInstanceFor(c).isSupported()).isTrue();
        } finally {
            c.disconnect();
        }
    }

    @Test
    void aMessageToAnOfflineUserIsPublishedToTheAppServerWithoutItsBody() throws Exception {
        try (RawComponentClient app = appServer(server)) {
            enableAndLeave(server, "offline-alice", "node-a");
            try (MessageInbox bob = server.inbox("offline-bob", "desk")) {
                bob.sendChat("offline-alice@localhost", "are you there?");
                Element iq = nextPublish(app);
                assertThat(iq.attr("from")).isEqualTo("offline-alice@localhost");
                assertThat(iq.attr("to")).isEqualTo(APP_SERVER);
                Element pubsub = iq.element("pubsub", PUBSUB);
                assertThat(pubsub.element("publish", PUBSUB).attr("node")).isEqualTo("node-a");
                Map<String, String> summary = summary(iq);
                assertThat(summary).containsEntry("FORM_TYPE", "urn:xmpp:push:summary")
                        .containsEntry("message-count", "1")
                        .containsEntry("last-message-sender", "offline-bob@localhost/desk")
                        .doesNotContainKey("last-message-body");
                Element options = pubsub.element("publish-options", PUBSUB).element("x", DATA);
                assertThat(options.attr("type")).isEqualTo("submit");
                assertThat(fields(options)).containsEntry("secret", "s-node-a")
                        .containsEntry("FORM_TYPE", "http://jabber.org/protocol/pubsub#publish-options");
                app.result(iq);
            }
            // The message itself still waits in offline storage.
            try (MessageInbox alice = server.inbox("offline-alice", "later")) {
                assertThat(alice.next().getBody()).isEqualTo("are you there?");
            }
        }
    }

    @Test
    void noPushWhileTheUserIsOnline() throws Exception {
        try (RawComponentClient app = appServer(server)) {
            enableAndLeave(server, "online-alice", "node-o");
            try (MessageInbox alice = server.inbox("online-alice", "desk");
                 MessageInbox bob = server.inbox("online-bob", "desk")) {
                bob.sendChat("online-alice@localhost", "hi");
                assertThat(alice.next().getBody()).isEqualTo("hi");
                assertThat(app.quietFor(Duration.ofMillis(700))).isTrue();
            }
        }
    }

    @Test
    void messagesWithoutABodyAreNotPushed() throws Exception {
        try (RawComponentClient app = appServer(server)) {
            enableAndLeave(server, "nobody-alice", "node-n");
            try (MessageInbox bob = server.inbox("nobody-bob", "desk")) {
                org.jivesoftware.smack.packet.Message typing = bob.connection().getStanzaFactory().buildMessageStanza()
                        .to(JidCreate.from("nobody-alice@localhost")).ofType(org.jivesoftware.smack.packet.Message.Type.chat)
                        .addExtension(new ChatStateExtension(ChatState.composing)).build();
                bob.connection().sendStanza(typing);
                bob.sync();
                assertThat(app.quietFor(Duration.ofMillis(700))).isTrue();
            }
        }
    }

    @Test
    void disableStopsThePushes() throws Exception {
        try (RawComponentClient app = appServer(server)) {
            enableAndLeave(server, "disable-alice", "node-d");
            XMPPTCPConnection c = phone(server, "disable-alice");
            try {
                assertThat(PushNotificationsManager.getInstanceFor(c).disable(JidCreate.from(APP_SERVER), "node-d"))
                        .isTrue();
            } finally {
                c.disconnect();
            }
            assertThat(new SqlPushStore(server.database()).list("disable-alice")).isEmpty();
            try (MessageInbox bob = server.inbox("disable-bob", "desk")) {
                bob.sendChat("disable-alice@localhost", "hello?");
                bob.sync();
                assertThat(app.quietFor(Duration.ofMillis(700))).isTrue();
            }
        }
    }

    @Test
    void anAppServerErrorDisablesTheRegistration() throws Exception {
        try (RawComponentClient app = appServer(server)) {
            enableAndLeave(server, "error-alice", "node-e");
            enableAndLeave(server, "error-alice", "node-keep");
            try (MessageInbox bob = server.inbox("error-bob", "desk")) {
                bob.sendChat("error-alice@localhost", "one");
                for (int i = 0; i < 2; i++) {
                    Element iq = nextPublish(app);
                    String node = iq.element("pubsub", PUBSUB).element("publish", PUBSUB).attr("node");
                    if (node.equals("node-e")) {
                        app.error(iq, "item-not-found", "cancel");
                    } else {
                        app.result(iq);
                    }
                }
                long until = System.currentTimeMillis() + 5000;
                while (new SqlPushStore(server.database()).list("error-alice").size() > 1 && System.currentTimeMillis() < until) {
                    Thread.sleep(20);
                }
                assertThat(new SqlPushStore(server.database()).list("error-alice"))
                        .extracting(r -> r.node()).containsExactly("node-keep");
            }
        }
    }

    @Test
    void pushesAreThrottledAndCoalescedPerRegistration() throws Exception {
        try (RawComponentClient app = appServer(server)) {
            enableAndLeave(server, "burst-alice", "node-b");
            try (MessageInbox bob = server.inbox("burst-bob", "desk")) {
                bob.sendChat("burst-alice@localhost", "message 1");
                assertThat(summary(nextPublish(app))).as("the first message is published at once")
                        .containsEntry("message-count", "1");
                long start = System.nanoTime();
                for (int i = 2; i <= 4; i++) {
                    bob.sendChat("burst-alice@localhost", "message " + i);
                }
                bob.sync();
                int counted = Integer.parseInt(summary(nextPublish(app)).get("message-count"));
                long gapMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(gapMs).as("the second publish waits for push.minInterval").isGreaterThanOrEqualTo(500);
                while (counted < 3) { // one publish, unless an interval ended while bob was sending
                    counted += Integer.parseInt(summary(nextPublish(app)).get("message-count"));
                }
                assertThat(counted).as("every message counted once").isEqualTo(3);
                assertThat(app.quietFor(Duration.ofMillis(1300))).as("nothing more to send").isTrue();
            }
        }
    }

    @Test
    void badEnableRequestsGetTheRightErrors() throws Exception {
        server.account("raw-alice");
        server.account("raw-bob");
        try (RawStreamClient c = RawStreamClient.loggedIn(server.get(), "raw-alice",
                ServerExtension.password("raw-alice"), "r")) {
            c.send("<iq type='set' id='e1'><enable xmlns='urn:xmpp:push:0' jid='" + APP_SERVER + "'/></iq>");
            assertThat(RawStreamClient.stanzaErrorCondition(c.expect(e -> "e1".equals(e.attr("id")), "e1")))
                    .isEqualTo("bad-request");
            c.send("<iq type='set' id='e2'><enable xmlns='urn:xmpp:push:0' jid='a@@b' node='n'/></iq>");
            assertThat(RawStreamClient.stanzaErrorCondition(c.expect(e -> "e2".equals(e.attr("id")), "e2")))
                    .isEqualTo("jid-malformed");
            c.send("<iq type='set' id='e3' to='raw-bob@localhost'><enable xmlns='urn:xmpp:push:0' jid='"
                    + APP_SERVER + "' node='n'/></iq>");
            assertThat(RawStreamClient.stanzaErrorCondition(c.expect(e -> "e3".equals(e.attr("id")), "e3")))
                    .as("only the account itself registers").isEqualTo("forbidden");
            assertThat(new SqlPushStore(server.database()).list("raw-bob")).isEmpty();
            c.send("<iq type='set' id='e4'><disable xmlns='urn:xmpp:push:0'/></iq>");
            assertThat(RawStreamClient.stanzaErrorCondition(c.expect(e -> "e4".equals(e.attr("id")), "e4")))
                    .isEqualTo("bad-request");
        }
    }

    /**
     * The end-to-end detached case: a client with XEP-0198 resumption drops its connection
     * without closing the stream; its session stays bound, detached, and a message to it must be
     * pushed (not stored offline: the session still holds it for resumption).
     */
    @Test
    void aMessageToASessionAwaitingResumptionIsPushed() throws Exception {
        try (RawComponentClient app = appServer(server)) {
            server.account("sm-alice");
            XMPPTCPConnection phone = new XMPPTCPConnection(server.clients().builder()
                    .setUsernameAndPassword("sm-alice", ServerExtension.password("sm-alice")).setResource("phone").build());
            phone.setUseStreamManagement(true);
            phone.setUseStreamManagementResumption(true);
            phone.setReplyTimeout(5000);
            phone.connect().login();
            assertThat(phone.isSmResumptionPossible()).as("the server offers resumption").isTrue();
            assertThat(PushNotificationsManager.getInstanceFor(phone).enable(JidCreate.from(APP_SERVER), "node-sm"))
                    .isTrue();
            phone.instantShutdown(); // the session stays, detached, awaiting resumption
            // Wait until the server has seen the socket close, as a phone's server would.
            org.parley.xmpp.Jid phoneJid = org.parley.xmpp.Jid.of("sm-alice@localhost/phone");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            org.parley.session.Session session;
            while ((session = server.get().server().directory().session(phoneJid)) == null || !session.isDetached()) {
                assertThat(System.nanoTime()).as("the session detaches").isLessThan(deadline);
                Thread.sleep(20);
            }
            try (MessageInbox bob = server.inbox("sm-bob", "desk")) {
                bob.sendChat("sm-alice@localhost", "while you were away");
                assertThat(summary(nextPublish(app))).containsEntry("message-count", "1");
            }
        }
    }

    @Test
    void registrationsAreCappedByMaxRegistrations() throws Exception {
        XMPPTCPConnection c = phone(server, "cap-alice");
        try {
            PushNotificationsManager push = PushNotificationsManager.getInstanceFor(c);
            for (int i = 1; i <= 3; i++) {
                assertThat(push.enable(JidCreate.from(APP_SERVER), "node-" + i)).isTrue();
            }
            // Re-enabling a registration it has is an update, not a fourth one.
            assertThat(push.enable(JidCreate.from(APP_SERVER), "node-2")).isTrue();
            assertThatThrownBy(() -> push.enable(JidCreate.from(APP_SERVER), "node-4"))
                    .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                            e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.resource_constraint));
            assertThat(push.disableAll(JidCreate.from(APP_SERVER))).isTrue();
            assertThat(new SqlPushStore(server.database()).list("cap-alice")).isEmpty();
        } finally {
            c.disconnect();
        }
    }
}
