package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.Clients;
import org.parley.testing.TestServer;

class ChatTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Clients clients;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
        clients = new Clients(server);
        server.createUser("alice", "alice-pw");
        server.createUser("bob", "bob-pw");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void chatGoesBothWays() throws Exception {
        XMPPTCPConnection alice = clients.login("alice", "alice-pw");
        XMPPTCPConnection bob = clients.login("bob", "bob-pw");
        try {
            BlockingQueue<Message> atBob = new ArrayBlockingQueue<>(10);
            BlockingQueue<Message> atAlice = new ArrayBlockingQueue<>(10);
            bob.addAsyncStanzaListener(s -> atBob.add((Message) s), s -> s instanceof Message m && m.getBody() != null);
            alice.addAsyncStanzaListener(s -> atAlice.add((Message) s), s -> s instanceof Message m && m.getBody() != null);

            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.entityBareFrom("bob@localhost")).ofType(Message.Type.chat).setBody("hello bob").build());
            Message m = atBob.poll(5, TimeUnit.SECONDS);
            assertThat(m).isNotNull();
            assertThat(m.getBody()).isEqualTo("hello bob");
            assertThat(m.getFrom().toString()).isEqualTo("alice@localhost/test");

            bob.sendStanza(bob.getStanzaFactory().buildMessageStanza()
                    .to(m.getFrom()).ofType(Message.Type.chat).setBody("hi alice").build());
            Message reply = atAlice.poll(5, TimeUnit.SECONDS);
            assertThat(reply).isNotNull();
            assertThat(reply.getBody()).isEqualTo("hi alice");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }
}
