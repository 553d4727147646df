package org.parley.protocol;

import org.parley.feature.offline.SqlOfflineStore;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.session.Session;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawComponentClient;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;

/**
 * A phone whose network died silently: the server wrote messages into the dead connection, they
 * wait unacknowledged in the XEP-0198 queue, and when the server notices the loss the session
 * becomes detached. Those messages get one push (XEP-0357) then, since nothing new arrives to
 * trigger one. The phone is a raw client here, so exactly what it acknowledged is known.
 */
class PushOnDetachTest {
    private static final String SM = "urn:xmpp:sm:3";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_COMPONENTS_PORT", "0",
            "PARLEY_COMPONENTS_SERVICES", PushTest.APP_SERVER + "=app-secret",
            "PARLEY_PUSH_INCLUDE_BODY", "true"));

    /**
     * Bound, with stream management and resumption on, push registered for {@code node}, and
     * available when asked. The push enable result is the first stanza after {@code <enabled/>}.
     */
    private static RawStreamClient phone(String user, String node, boolean available) throws Exception {
        return phone(user, node, available, "");
    }

    private static RawStreamClient phone(String user, String node, boolean available, String enableAttrs)
            throws Exception {
        server.account(user);
        RawStreamClient c = RawStreamClient.loggedIn(server.get(), user, ServerExtension.password(user), "phone");
        c.send("<enable xmlns='" + SM + "' resume='true' " + enableAttrs + "/>");
        assertThat(c.expect(e -> e.is("enabled", SM), "<enabled/>").attr("resume")).isEqualTo("true");
        c.send("<iq type='set' id='push'><enable xmlns='urn:xmpp:push:0' jid='" + PushTest.APP_SERVER
                + "' node='" + node + "'/></iq>");
        Element result = c.element();
        assertThat(result.attr("id")).isEqualTo("push");
        assertThat(result.attr("type")).isEqualTo("result");
        if (available) {
            // Available before anyone writes to it: the ping's answer comes after the presence is handled.
            c.send("<presence/><iq type='get' id='avail'><ping xmlns='urn:xmpp:ping'/></iq>");
            c.expect(e -> "avail".equals(e.attr("id")), "the ping answer");
        }
        return c;
    }

    private static Element message(RawStreamClient c, String body) {
        return c.expect(e -> e.is("message", Namespaces.CLIENT) && body.equals(e.childText("body", Namespaces.CLIENT)),
                "message " + body);
    }

    /** Closes the socket without {@code </stream:stream>} and waits until the server has detached the session. */
    private static void dropAndAwaitDetach(RawStreamClient c, String user) throws Exception {
        c.close();
        Jid jid = Jid.of(user + "@localhost/phone");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Session session;
        while ((session = server.get().server().directory().session(jid)) == null || !session.isDetached()) {
            assertThat(System.nanoTime()).as("the session detaches").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void messagesTheDroppedPhoneNeverAcknowledgedArePushedOnceWhenItsSessionDetaches() throws Exception {
        try (RawComponentClient app = PushTest.appServer(server);
             MessageInbox bob = server.inbox("lost-bob", "desk")) {
            RawStreamClient phone = phone("lost-alice", "node-lost", true);
            bob.sendChat("lost-alice@localhost", "are you on the train?");
            bob.sendChat("lost-alice@localhost", "call me");
            message(phone, "are you on the train?");
            message(phone, "call me"); // written to the socket, never acknowledged
            assertThat(app.quietFor(Duration.ofMillis(300))).as("no push while the phone is connected").isTrue();

            dropAndAwaitDetach(phone, "lost-alice");
            Element publish = PushTest.nextPublish(app);
            assertThat(publish.attr("from")).isEqualTo("lost-alice@localhost");
            assertThat(publish.element("pubsub", PushTest.PUBSUB).element("publish", PushTest.PUBSUB).attr("node"))
                    .isEqualTo("node-lost");
            assertThat(PushTest.summary(publish)).containsEntry("message-count", "2")
                    .containsEntry("last-message-sender", "lost-bob@localhost/desk")
                    .containsEntry("last-message-body", "call me");
            app.result(publish);
            assertThat(app.quietFor(Duration.ofMillis(1500))).as("one push for the whole queue").isTrue();
        }
    }

    @Test
    void aPhoneThatAcknowledgedEverythingBeforeTheDropGetsNoPush() throws Exception {
        try (RawComponentClient app = PushTest.appServer(server);
             MessageInbox bob = server.inbox("acked-bob", "desk")) {
            RawStreamClient phone = phone("acked-alice", "node-acked", false);
            bob.sendChat("acked-alice@localhost/phone", "seen it?");
            message(phone, "seen it?");
            // Count what the server sent since the enable result: a ping's answer comes after all of it.
            phone.send("<iq type='get' id='sync'><ping xmlns='urn:xmpp:ping'/></iq>");
            int handled = 1; // the enable result
            while (true) {
                Element e = phone.element();
                if (Namespaces.CLIENT.equals(e.namespace())) {
                    handled++;
                    if ("sync".equals(e.attr("id"))) {
                        break;
                    }
                }
            }
            // The message was read by message() above, so count it too.
            phone.send("<a xmlns='" + SM + "' h='" + (handled + 1) + "'/><r xmlns='" + SM + "'/>");
            phone.expect(e -> e.is("a", SM), "the server's <a/>"); // so the ack was processed before the drop
            dropAndAwaitDetach(phone, "acked-alice");
            assertThat(app.quietFor(Duration.ofMillis(1000))).as("nothing was left unacknowledged").isTrue();

            // The detached session still pushes what arrives now, so the app server was listening.
            bob.sendChat("acked-alice@localhost/phone", "now you are away");
            assertThat(PushTest.summary(PushTest.nextPublish(app))).containsEntry("message-count", "1")
                    .containsEntry("last-message-body", "now you are away");
        }
    }

    @Test
    void whenTheWindowClosesThePushedMessagesGoOfflineWithoutASecondPush() throws Exception {
        try (RawComponentClient app = PushTest.appServer(server);
             MessageInbox bob = server.inbox("expiry-bob", "desk")) {
            RawStreamClient phone = phone("expiry-alice", "node-expiry", true, "max='1'");
            bob.sendChat("expiry-alice@localhost", "still there?");
            message(phone, "still there?"); // never acknowledged
            dropAndAwaitDetach(phone, "expiry-alice");
            app.result(PushTest.nextPublish(app)); // the push for the unacknowledged message
            bob.sendChat("expiry-alice@localhost", "hello?");
            app.result(PushTest.nextPublish(app)); // and one for the message the detached session takes

            ImClients.eventually("the window closed and both messages are stored offline",
                    () -> new SqlOfflineStore(server.database()).count("expiry-alice") == 2);
            assertThat(app.quietFor(Duration.ofMillis(1500))).as("no second push for the same messages").isTrue();

            bob.sendChat("expiry-alice@localhost", "new while offline");
            assertThat(PushTest.summary(PushTest.nextPublish(app))).containsEntry("last-message-body",
                    "new while offline");
        }
    }
}
