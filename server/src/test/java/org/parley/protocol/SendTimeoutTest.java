package org.parley.protocol;

import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.DeafSocket;
import org.parley.testing.MessageInbox;
import org.parley.testing.ServerExtension;
import org.parley.xmpp.Jid;

/**
 * c2s.sendTimeout on a real socket: a client that stops reading while messages keep coming is
 * disconnected once nothing could be written to it for the timeout, instead of the server
 * buffering everything for it. The client here is a bare TLS socket, so that it can stop reading.
 * Two other clients keep chatting meanwhile.
 */
@Tag("nio") // run again on NIO too (server/pom.xml, nio-transport)
class SendTimeoutTest {

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of("PARLEY_C2S_SEND_TIMEOUT", "1s"));

    @Test
    void aClientThatStopsReadingIsDisconnected() throws Exception {
        try (Socket s = DeafSocket.bound(server, "deaf-alice", "deaf", 0);
             MessageInbox bob = server.inbox("deaf-bob", "b");
             MessageInbox carol = server.inbox("deaf-carol", "c");
             MessageInbox dave = server.inbox("deaf-dave", "d")) {
            DeafSocket.send(s.getOutputStream(), "<presence/>");
            Jid alice = Jid.of("deaf-alice@localhost/deaf");
            // From here on alice reads nothing. 64 KB messages until far more than the socket
            // buffers hold is queued for her, or the server has let her go.
            String body = "x".repeat(64 * 1024);
            for (int i = 0; i < 400 && server.get().server().directory().session(alice) != null; i++) {
                bob.sendChat("deaf-alice@localhost/deaf", body);
                if (i % 100 == 0) {
                    carol.chatWith(dave, "while alice stalls " + i);
                }
            }
            ImClients.eventually("the server dropped the client that stopped reading",
                    () -> server.get().server().directory().session(alice) == null);
            dave.chatWith(carol, "still chatting");
        }
    }
}
