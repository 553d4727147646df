package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.Clients;
import org.parley.testing.TestServer;

/** Two servers for the same domain in one JVM share nothing: ports, stores, certificates, sessions. */
class TwoServersTest {
    @TempDir
    static Path dirA;
    @TempDir
    static Path dirB;
    static TestServer a;
    static TestServer b;

    @BeforeAll
    static void start() {
        a = TestServer.start(dirA);
        b = TestServer.start(dirB);
        a.createUser("only-on-a", "pw-a");
        b.createUser("only-on-b", "pw-b");
        a.createUser("on-both", "pw-on-a");
        b.createUser("on-both", "pw-on-b");
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    @Test
    void theyListenOnDifferentPorts() {
        assertThat(a.c2sPort()).isNotEqualTo(b.c2sPort());
        assertThat(a.directTlsPort()).isNotEqualTo(b.directTlsPort());
    }

    @Test
    void aUserOfOneServerDoesNotExistOnTheOther() throws Exception {
        SASLErrorException e = catchThrowableOfType(SASLErrorException.class,
                () -> new Clients(b).login("only-on-a", "pw-a"));

        assertThat(e.getSASLFailure().getSASLErrorString()).isEqualTo("not-authorized");
        assertThat(b.server().stores().accounts().exists("only-on-a")).isFalse();
    }

    @Test
    void theSameNameOnBothHasEachServersOwnPassword() throws Exception {
        XMPPTCPConnection onA = new Clients(a).login("on-both", "pw-on-a");
        onA.disconnect();

        SASLErrorException e = catchThrowableOfType(SASLErrorException.class,
                () -> new Clients(b).login("on-both", "pw-on-a"));
        assertThat(e.getSASLFailure().getSASLErrorString()).isEqualTo("not-authorized");
    }

    @Test
    void eachServesItsOwnClientsAndRoutesOnlyToItsOwnAccounts() throws Exception {
        XMPPTCPConnection onA = new Clients(a).login("only-on-a", "pw-a");
        XMPPTCPConnection onB = new Clients(b).login("only-on-b", "pw-b");
        try {
            assertThat(PingManager.getInstanceFor(onA).pingMyServer(false)).isTrue();
            assertThat(PingManager.getInstanceFor(onB).pingMyServer(false)).isTrue();

            // only-on-b@localhost is not an account of server A: the message bounces there
            BlockingQueue<Message> atA = new ArrayBlockingQueue<>(5);
            BlockingQueue<Message> atB = new ArrayBlockingQueue<>(5);
            onA.addAsyncStanzaListener(s -> atA.add((Message) s), s -> s instanceof Message);
            onB.addAsyncStanzaListener(s -> atB.add((Message) s), s -> s instanceof Message);
            onA.sendStanza(onA.getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.entityBareFrom("only-on-b@localhost")).ofType(Message.Type.chat)
                    .setBody("across?").build());

            Message bounce = atA.poll(5, TimeUnit.SECONDS);
            assertThat(bounce).isNotNull();
            assertThat(bounce.getType()).isEqualTo(Message.Type.error);
            assertThat(bounce.getError().getCondition())
                    .isEqualTo(org.jivesoftware.smack.packet.StanzaError.Condition.service_unavailable);
            assertThat(atB.poll(300, TimeUnit.MILLISECONDS)).isNull();
        } finally {
            onA.disconnect();
            onB.disconnect();
        }
    }

    @Test
    void closingOneLeavesTheOtherServing(@TempDir Path dirC) throws Exception {
        TestServer c = TestServer.start(dirC);
        c.createUser("on-c", "pw");
        c.close();

        XMPPTCPConnection onA = new Clients(a).login("only-on-a", "pw-a");
        try {
            assertThat(PingManager.getInstanceFor(onA).pingMyServer(false)).isTrue();
        } finally {
            onA.disconnect();
        }
    }
}
