package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.MessageInbox;
import org.parley.testing.ServerExtension;
import org.parley.xmpp.Jid;

/**
 * c2s.sendTimeout on a real socket: a client that stops reading while messages keep coming is
 * disconnected once nothing could be written to it for the timeout, instead of the server
 * buffering everything for it. The client here is a bare TLS socket, so that it can stop reading.
 * Two other clients keep chatting meanwhile.
 */
class SendTimeoutTest {

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of("PARLEY_C2S_SEND_TIMEOUT", "1s"));

    private static String readUntil(InputStream in, String marker) throws Exception {
        StringBuilder seen = new StringBuilder();
        byte[] buf = new byte[4096];
        while (seen.indexOf(marker) < 0) {
            int n = in.read(buf);
            assertThat(n).as("the server closed before " + marker).isPositive();
            seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return seen.toString();
    }

    private static void send(OutputStream out, String xml) throws Exception {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static final String HEADER = "<stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>";

    @Test
    void aClientThatStopsReadingIsDisconnected() throws Exception {
        server.account("deaf-alice");
        try (Socket s = server.get().sslContext().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                server.get().directTlsPort());
             MessageInbox bob = server.inbox("deaf-bob", "b");
             MessageInbox carol = server.inbox("deaf-carol", "c");
             MessageInbox dave = server.inbox("deaf-dave", "d")) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            send(out, HEADER);
            readUntil(in, "</stream:features>");
            String auth = Base64.getEncoder().encodeToString(("\0deaf-alice\0" + ServerExtension.password("deaf-alice"))
                    .getBytes(StandardCharsets.UTF_8));
            send(out, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + auth + "</auth>");
            readUntil(in, "<success");
            send(out, HEADER);
            readUntil(in, "</stream:features>");
            send(out, "<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                    + "<resource>deaf</resource></bind></iq><presence/>");
            readUntil(in, "</iq>");
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
