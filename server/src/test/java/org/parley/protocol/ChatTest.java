package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.ServerExtension;

class ChatTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers("alice", "bob");

    @Test
    void chatGoesBothWays() throws Exception {
        XMPPTCPConnection alice = server.clients().login("alice", "alice-pw");
        XMPPTCPConnection bob = server.clients().login("bob", "bob-pw");
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
