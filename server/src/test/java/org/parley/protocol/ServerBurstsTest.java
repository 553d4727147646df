package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.session.Session;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.xmpp.Jid;

/**
 * Bursts the server sends on its own are paced by the client's reading, not counted against
 * c2s.maxPendingOutputBytes: offline messages at login and the stream management queue sent again
 * on resumption (3 MB here, read only after a pause), each many times the bound here, reach a
 * client that reads them, in order, and its connection stays up. Two other clients keep chatting.
 */
class ServerBurstsTest {
    private static final String SM = "urn:xmpp:sm:3";
    private static final int COUNT = 200;
    private static final String BODY = "y".repeat(4 * 1024);
    private static final String BIG = "z".repeat(16 * 1024);
    private static final String HEADER = "<stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>";

    private static void write(OutputStream out, String xml) throws Exception {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads into {@code seen} until it holds {@code marker}; returns it. */
    private static String readUntil(InputStream in, String marker, StringBuilder seen) throws Exception {
        byte[] buf = new byte[8192];
        while (seen.indexOf(marker) < 0) {
            int n = in.read(buf);
            assertThat(n).as("the server closed before " + marker).isPositive();
            seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
        return seen.toString();
    }

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_C2S_MAX_PENDING_OUTPUT_BYTES", "65536",
            // The resuming test client answers no ack request: on a loaded machine the run may
            // outlast the default minute, which would drop it as dead.
            "PARLEY_SM_ACK_TIMEOUT", "10m"));

    private static int number(String body) {
        return Integer.parseInt(body.substring(0, body.indexOf(' ')));
    }

    private static Session session(String full) {
        return server.get().server().directory().session(Jid.of(full));
    }

    @Test
    void offlineMessagesLargerThanTheBoundReachTheClientInOrder() throws Exception {
        server.account("bu-alice");
        try (MessageInbox bob = server.inbox("bu-bob", "b");
             MessageInbox carol = server.inbox("bu-carol", "c");
             MessageInbox dave = server.inbox("bu-dave", "d")) {
            for (int i = 0; i < COUNT; i++) {
                bob.sendChat("bu-alice@localhost", i + " " + BODY);
                if (i % 25 == 24) {
                    bob.sync(); // a few stores per round trip: each waits its turn for the account
                }
            }
            try (MessageInbox alice = server.inbox("bu-alice", "a")) {
                for (int i = 0; i < COUNT; i++) {
                    Message m = alice.next();
                    assertThat(number(m.getBody())).as("every stored message, in order").isEqualTo(i);
                    if (i % 50 == 0) {
                        carol.chatWith(dave, "chatting " + i);
                    }
                }
                assertThat(alice.connection().isConnected()).isTrue();
                bob.sendChat("bu-alice@localhost/a", "after");
                assertThat(alice.next().getBody()).as("the connection was kept").isEqualTo("after");
            }
            dave.chatWith(carol, "still chatting");
        }
    }

    @Test
    void aResumedQueueLargerThanTheBoundIsSentAgainInFull() throws Exception {
        String full = "bs-alice@localhost/r";
        try (MessageInbox bob = server.inbox("bs-bob", "b");
             MessageInbox carol = server.inbox("bs-carol", "c");
             MessageInbox dave = server.inbox("bs-dave", "d")) {
            String id;
            try (RawStreamClient first = server.bound("bs-alice", "r")) {
                first.send("<enable xmlns='" + SM + "' resume='true'/>");
                id = first.expect(e -> e.is("enabled", SM), "<enabled/>").attr("id");
                first.send("<presence/>");
                first.send("<iq type='get' id='sync' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
                first.expect(e -> "sync".equals(e.attr("id")), "the ping's answer");
            } // the connection drops: the session waits for resumption
            ImClients.eventually("the session detached", () -> session(full) != null && session(full).isDetached());
            for (int i = 0; i < COUNT; i++) {
                bob.sendChat(full, i + " " + BIG);
                if (i % 25 == 24) {
                    bob.sync();
                }
            }
            carol.chatWith(dave, "while detached");

            // The client that resumes reads nothing for a while (a phone waking up): the queue
            // piles up in the server's buffers, and a stanza routed meanwhile must wait behind it
            // instead of finding the client "too slow" and dropping it.
            try (Socket back = server.get().sslContext().getSocketFactory().createSocket(
                    InetAddress.getLoopbackAddress(), server.get().directTlsPort())) {
                back.setReceiveBufferSize(8192);
                InputStream in = back.getInputStream();
                OutputStream out = back.getOutputStream();
                write(out, HEADER);
                readUntil(in, "</stream:features>", new StringBuilder());
                String auth = Base64.getEncoder().encodeToString(("\0bs-alice\0" + ServerExtension.password("bs-alice"))
                        .getBytes(StandardCharsets.UTF_8));
                write(out, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + auth + "</auth>");
                readUntil(in, "<success", new StringBuilder());
                write(out, HEADER);
                readUntil(in, "</stream:features>", new StringBuilder());
                write(out, "<resume xmlns='" + SM + "' previd='" + id + "' h='0'/>");
                StringBuilder text = new StringBuilder();
                readUntil(in, "<resumed", text);
                Thread.sleep(1000); // not reading
                bob.sendChat(full, COUNT + " new");
                bob.sync();
                carol.chatWith(dave, "while alice does not read");
                readUntil(in, ">" + COUNT + " new<", text);
                Matcher m = Pattern.compile("<body>(\\d+) ").matcher(text);
                List<Integer> got = new ArrayList<>();
                while (m.find()) {
                    got.add(Integer.parseInt(m.group(1)));
                }
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i <= COUNT; i++) {
                    expected.add(i);
                }
                assertThat(got).as("every stanza, in order, the new one last").isEqualTo(expected);
                assertThat(session(full).isDetached()).as("the resumed connection was kept").isFalse();
                bob.sendChat(full, "after");
                readUntil(in, ">after<", text);
            }
            dave.chatWith(carol, "still chatting");
        }
    }
}
