package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.bosh.BOSHConfiguration;
import org.jivesoftware.smack.bosh.XMPPBOSHConnection;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smackx.mam.MamManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.MessageInbox;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.jxmpp.jid.impl.JidCreate;

/**
 * A real client library over BOSH: Smack 4.4.8's XEP-0206 transport (on jbosh) logs in at
 * {@code /http-bind} with SCRAM, gets its roster, chats with a Smack client over TCP both ways and
 * finds the conversation in its archive, as a web client would.
 */
class SmackBoshTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    private static XMPPBOSHConnection boshLogin(String user, String resource) throws Exception {
        server.account(user);
        BOSHConfiguration config = BOSHConfiguration.builder()
                .setXmppDomain(TestServer.DOMAIN)
                .setHost("localhost") // Smack 4.4.8 writes an address given as an IP literal into the URL as "/127.0.0.1"
                .setPort(server.get().server().httpPort())
                .setFile("/http-bind")
                .setUseHttps(false)
                // Plain HTTP from loopback: the server takes it for a TLS-terminating reverse proxy.
                .setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword(user, ServerExtension.password(user))
                .setResource(resource)
                .build();
        XMPPBOSHConnection c = new XMPPBOSHConnection(config);
        c.setReplyTimeout(5000);
        c.connect().login();
        return c;
    }

    @Test
    void smacksBoshTransportLogsInChatsAndQueriesTheArchive() throws Exception {
        XMPPBOSHConnection alice = boshLogin("sb-alice", "web");
        try (MessageInbox bob = server.inbox("sb-bob", "tcp")) {
            assertThat(alice.isAuthenticated()).isTrue();
            assertThat(alice.getUser().toString()).isEqualTo("sb-alice@localhost/web");
            Roster roster = Roster.getInstanceFor(alice);
            if (!roster.isLoaded()) {
                roster.reloadAndWait();
            }
            assertThat(roster.isLoaded()).as("the roster, over BOSH").isTrue();
            BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
            alice.addAsyncStanzaListener(s -> inbox.add((Message) s), s -> s instanceof Message m && m.getBody() != null);

            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.from("sb-bob@localhost/tcp")).ofType(Message.Type.chat).setBody("hello over BOSH")
                    .build());
            Message got = bob.next();
            assertThat(got.getBody()).isEqualTo("hello over BOSH");
            assertThat(got.getFrom().toString()).isEqualTo("sb-alice@localhost/web");

            bob.sendChat("sb-alice@localhost/web", "hello over TCP");
            Message back = inbox.poll(5, TimeUnit.SECONDS);
            assertThat(back).isNotNull();
            assertThat(back.getBody()).isEqualTo("hello over TCP");

            MamManager.MamQuery query = MamManager.getInstanceFor(alice).queryArchive(
                    MamManager.MamQueryArgs.builder().limitResultsToJid(JidCreate.from("sb-bob@localhost")).build());
            assertThat(query.getMessages()).extracting(Message::getBody)
                    .containsExactly("hello over BOSH", "hello over TCP");
        } finally {
            alice.disconnect();
        }
    }
}
