package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.XMPPException.StreamErrorException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/** Resource binding (RFC 6120 §7) and the legacy session IQ (RFC 3921 §3, RFC 6121 Appendix E). */
class ResourceBindingTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers(
            "chooser", "generated", "smack-generated", "replaced", "sender", "invalid", "legacy");

    /** A raw stream that has authenticated as {@code user} with PLAIN and restarted, so it may bind (RFC 6120 §7). */
    private static RawStreamClient authenticated(String user) throws Exception {
        RawStreamClient raw = RawStreamClient.directTls(server.get());
        try {
            raw.openAndReadFeatures(TestServer.DOMAIN);
            assertThat(raw.authPlain(user, user + "-pw").is("success", Namespaces.SASL)).isTrue();
            raw.restart(TestServer.DOMAIN);
            return raw;
        } catch (Exception | AssertionError e) {
            raw.close();
            throw e;
        }
    }

    @Test
    void clientChosenResourceIsHonoured() throws Exception {
        XMPPTCPConnection c = server.clients().login("chooser", "chooser-pw", "Laptop 1");
        try {
            assertThat(c.getUser().toString()).isEqualTo("chooser@localhost/Laptop 1");
        } finally {
            c.disconnect();
        }
    }

    @Test
    void noResourceGetsAServerGeneratedOne() throws Exception {
        try (RawStreamClient raw = RawStreamClient.directTls(server.get());
             RawStreamClient raw2 = RawStreamClient.directTls(server.get())) {
            String first = bindRaw(raw, null);
            // An empty <resource/> counts as none.
            String second = bindRaw(raw2, "");
            assertThat(first).startsWith("generated@localhost/");
            assertThat(second).startsWith("generated@localhost/");
            assertThat(first.substring(first.indexOf('/') + 1)).isNotBlank();
            assertThat(second).isNotEqualTo(first);
        }
    }

    @Test
    void smackWithoutResourceGetsTheServersChoice() throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(server.clients().builder()
                .setUsernameAndPassword("smack-generated", "smack-generated-pw").build());
        c.setReplyTimeout(5000);
        try {
            c.connect().login();
            assertThat(c.getUser().asEntityBareJidString()).isEqualTo("smack-generated@localhost");
            assertThat(c.getUser().getResourcepart().toString()).isNotBlank();
            assertThat(PingManager.getInstanceFor(c).pingMyServer(false)).isTrue();
        } finally {
            c.disconnect();
        }
    }

    @Test
    void sameResourceReplacesTheOldSessionWithConflict() throws Exception {
        XMPPTCPConnection first = server.clients().login("replaced", "replaced-pw", "phone");
        XMPPTCPConnection second = null;
        XMPPTCPConnection sender = server.clients().login("sender", "sender-pw");
        try {
            BlockingQueue<Exception> closedOnError = new ArrayBlockingQueue<>(1);
            first.addConnectionListener(new ConnectionListener() {
                @Override
                public void connectionClosedOnError(Exception e) {
                    closedOnError.add(e);
                }
            });
            second = server.clients().login("replaced", "replaced-pw", "phone");
            assertThat(second.getUser().toString()).isEqualTo("replaced@localhost/phone");

            Exception e = closedOnError.poll(5, TimeUnit.SECONDS);
            assertThat(e).isInstanceOf(StreamErrorException.class);
            assertThat(((StreamErrorException) e).getStreamError().getCondition()).isEqualTo(StreamError.Condition.conflict);
            assertThat(first.isConnected()).isFalse();

            // The full JID now belongs to the new connection.
            BlockingQueue<Message> atSecond = new ArrayBlockingQueue<>(1);
            second.addAsyncStanzaListener(s -> atSecond.add((Message) s), s -> s instanceof Message m && m.getBody() != null);
            sender.sendStanza(sender.getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.entityFullFrom("replaced@localhost/phone")).ofType(Message.Type.chat)
                    .setBody("still there?").build());
            Message m = atSecond.poll(5, TimeUnit.SECONDS);
            assertThat(m).isNotNull();
            assertThat(m.getBody()).isEqualTo("still there?");
        } finally {
            first.disconnect();
            if (second != null) {
                second.disconnect();
            }
            sender.disconnect();
        }
    }

    @Test
    void invalidResourceIsBadRequestAndBindingCanBeRetried() throws Exception {
        try (RawStreamClient raw = authenticated("invalid")) {

            assertBadRequest(raw.bind("x".repeat(1024))); // RFC 7622 §3.4: at most 1023 bytes
            assertBadRequest(raw.bind("tab&#9;inside")); // OpaqueString forbids control characters

            Element ok = raw.bind("valid");
            assertThat(ok.attr("type")).isEqualTo("result");
            assertThat(ok.element("bind", Namespaces.BIND).childText("jid", Namespaces.BIND))
                    .isEqualTo("invalid@localhost/valid");
        }
    }

    @Test
    void bindThatIsNotAnIqSetWithIdIsBadRequest() throws Exception {
        try (RawStreamClient raw = authenticated("invalid")) {

            raw.send("<iq type='set'><bind xmlns='" + Namespaces.BIND + "'><resource>no-id</resource></bind></iq>");
            Element noId = raw.element();
            assertThat(noId.attr("type")).as(noId.toXml()).isEqualTo("error");
            assertThat(noId.element("error", Namespaces.CLIENT).element("bad-request", Namespaces.STANZA_ERRORS)).isNotNull();

            raw.send("<iq type='get' id='g1'><bind xmlns='" + Namespaces.BIND + "'/></iq>");
            Element get = raw.element();
            assertThat(get.attr("type")).as(get.toXml()).isEqualTo("error");
            assertThat(get.attr("id")).isEqualTo("g1");
            assertThat(get.element("error", Namespaces.CLIENT).element("bad-request", Namespaces.STANZA_ERRORS)).isNotNull();

            assertThat(raw.bind("proper").attr("type")).isEqualTo("result");
        }
    }

    @Test
    void stanzaBeforeBindEndsTheStream() throws Exception {
        try (RawStreamClient raw = authenticated("invalid")) {
            raw.send("<message to='sender@localhost'><body>too early</body></message>");
            Element error = raw.element();
            assertThat(error.is("error", Namespaces.STREAMS)).as(error.toXml()).isTrue();
            assertThat(error.element("not-authorized", Namespaces.STREAM_ERRORS)).as(error.toXml()).isNotNull();
            raw.expectClosed();
        }
    }

    @Test
    void legacySessionIqIsAnsweredWithResult() throws Exception {
        try (RawStreamClient raw = RawStreamClient.directTls(server.get())) {
            raw.openAndReadFeatures(TestServer.DOMAIN);
            assertThat(raw.authPlain("legacy", "legacy-pw").is("success", Namespaces.SASL)).isTrue();
            Element features = raw.restart(TestServer.DOMAIN);
            Element session = features.element("session", Namespaces.SESSION);
            assertThat(session).isNotNull();
            assertThat(session.element("optional", Namespaces.SESSION)).isNotNull();
            assertThat(raw.bind("old-client").attr("type")).isEqualTo("result");

            raw.send("<iq type='set' id='sess-1'><session xmlns='" + Namespaces.SESSION + "'/></iq>");
            Element reply = raw.element();
            assertThat(reply.is("iq", Namespaces.CLIENT)).isTrue();
            assertThat(reply.attr("type")).isEqualTo("result");
            assertThat(reply.attr("id")).isEqualTo("sess-1");
            assertThat(reply.attr("to")).isIn(null, "legacy@localhost/old-client");
            assertThat(reply.elements()).isEmpty();

            raw.send("<iq type='set' id='sess-2' to='localhost'><session xmlns='" + Namespaces.SESSION + "'/></iq>");
            Element addressed = raw.element();
            assertThat(addressed.attr("type")).isEqualTo("result");
            assertThat(addressed.attr("id")).isEqualTo("sess-2");
            assertThat(addressed.attr("from")).isEqualTo("localhost");
        }
    }

    private static String bindRaw(RawStreamClient raw, String resource) throws Exception {
        raw.openAndReadFeatures(TestServer.DOMAIN);
        assertThat(raw.authScram("SCRAM-SHA-256", "generated", "generated-pw").is("success", Namespaces.SASL)).isTrue();
        raw.restart(TestServer.DOMAIN);
        Element reply = raw.bind(resource);
        assertThat(reply.attr("type")).as(reply.toXml()).isEqualTo("result");
        return reply.element("bind", Namespaces.BIND).childText("jid", Namespaces.BIND);
    }

    private static void assertBadRequest(Element reply) {
        assertThat(reply.attr("type")).as(reply.toXml()).isEqualTo("error");
        assertThat(reply.attr("id")).isEqualTo("bind-1");
        Element error = reply.element("error", Namespaces.CLIENT);
        assertThat(error.attr("type")).isEqualTo("modify");
        assertThat(error.element("bad-request", Namespaces.STANZA_ERRORS)).as(reply.toXml()).isNotNull();
    }
}
