package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.ServerExtension;

/** XEP-0199 pings sent by clients: to the server, to accounts, to another client. */
class PingTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    /** Sends a ping and returns the answer, which must be a result (an error throws). */
    private static IQ ping(XMPPTCPConnection c, String to) throws Exception {
        return c.createStanzaCollectorAndSend(new Ping(c, JidCreate.from(to))).nextResultOrThrow();
    }

    @Test
    void serverAnswersAPingWithAnEmptyResult() throws Exception {
        XMPPTCPConnection c = server.login("ping-server");
        try {
            IQ pong = ping(c, "localhost");

            assertThat(pong.getType()).isEqualTo(IQ.Type.result);
            assertThat(pong.getFrom().toString()).isEqualTo("localhost");
            assertThat(pong.getTo().toString()).isEqualTo("ping-server@localhost/test");
            assertThat(PingManager.getInstanceFor(c).pingMyServer()).isTrue();
        } finally {
            c.disconnect();
        }
    }

    @Test
    void serverAnswersForTheClientsOwnBareJid() throws Exception {
        XMPPTCPConnection c = server.login("ping-self");
        try {
            IQ pong = ping(c, "ping-self@localhost");

            assertThat(pong.getType()).isEqualTo(IQ.Type.result);
            assertThat(pong.getFrom().toString()).isEqualTo("ping-self@localhost");
        } finally {
            c.disconnect();
        }
    }

    @Test
    void serverAnswersForAnotherAccountsBareJid() throws Exception {
        XMPPTCPConnection c = server.login("ping-a");
        server.createUser("ping-b", "pw"); // offline: the server answers, not a client
        try {
            IQ pong = ping(c, "ping-b@localhost");

            assertThat(pong.getType()).isEqualTo(IQ.Type.result);
            assertThat(pong.getFrom().toString()).isEqualTo("ping-b@localhost");
        } finally {
            c.disconnect();
        }
    }

    @Test
    void pingToAFullJidReachesThatClientWhichAnswers() throws Exception {
        XMPPTCPConnection a = server.login("ping-c2c-a");
        XMPPTCPConnection b = server.login("ping-c2c-b");
        try {
            IQ pong = ping(a, "ping-c2c-b@localhost/test");

            assertThat(pong.getType()).isEqualTo(IQ.Type.result);
            assertThat(pong.getFrom().toString()).isEqualTo("ping-c2c-b@localhost/test");
        } finally {
            a.disconnect();
            b.disconnect();
        }
    }

    @Test
    void pingToAnAccountThatDoesNotExistIsServiceUnavailable() throws Exception {
        XMPPTCPConnection c = server.login("ping-ghost");
        try {
            XMPPErrorException e = catchThrowableOfType(XMPPErrorException.class, () -> ping(c, "nobody@localhost"));

            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
            Jid from = e.getStanza().getFrom();
            assertThat(from.toString()).isEqualTo("nobody@localhost");
        } finally {
            c.disconnect();
        }
    }
}
