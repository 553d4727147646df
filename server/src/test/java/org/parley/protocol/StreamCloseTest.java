package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.DeafSocket;
import org.parley.testing.MessageInbox;
import org.parley.testing.ServerExtension;
import org.parley.xmpp.Jid;

/**
 * How the server ends a stream (RFC 6120 §4.4, §4.9) on real sockets: a client that is still
 * sending when its stream ends with an error reads the whole stream up to that error and the closing
 * tag. Closing a socket whose input is not all read makes the kernel reset the connection, and a
 * reset throws away what was written but not yet delivered; the server therefore half-closes,
 * reads and drops what still comes until the client closes or c2s.closeTimeout passes. Two other
 * clients keep chatting throughout.
 */
class StreamCloseTest {
    /** Ping answers the client has not read when the error comes: many times its receive buffer. */
    private static final int PINGS = 150;
    private static final String PAD = "p".repeat(400);
    private static final Jid ALICE = Jid.of("sc-alice@localhost/flood");
    /**
     * Sent after the bad input before alice reads: far more than the shaper lets through (a 1 MiB
     * burst) and the sockets' buffers hold, so only a server reading and dropping it takes it all.
     */
    private static final long DRAINED = 32L * 1024 * 1024;
    /** The most alice sends after her bad input (she stops once she has read the end). */
    private static final long MAX_FLOOD = 2 * DRAINED;

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            // alice starts reading only once her flood went through and the others chatted: on a
            // loaded machine that can take longer than the default
            "PARLEY_C2S_CLOSE_TIMEOUT", "30s"));

    @Test
    void aClientStillFloodingWhenItsStreamEndsReadsEveryAnswerAndTheStreamError() throws Exception {
        try (Socket s = DeafSocket.bound(server, "sc-alice", "flood", 4096);
             MessageInbox carol = server.inbox("sc-carol", "c");
             MessageInbox dave = server.inbox("sc-dave", "d")) {
            OutputStream out = s.getOutputStream();
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < PINGS; i++) {
                burst.append("<iq type='get' id='").append(i).append(PAD).append("'><ping xmlns='urn:xmpp:ping'/></iq>");
            }
            // Not well-formed: the stream ends with an error behind the answers, which wait unread.
            burst.append("<message><</message>");
            DeafSocket.send(out, burst.toString());

            // The client goes on sending whatever comes after, as a flooding or confused client does.
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong flooded = new AtomicLong();
            Thread flooder = Thread.ofVirtual().start(() -> {
                byte[] junk = "<message><body>more</body></message>".repeat(400).getBytes(StandardCharsets.UTF_8);
                try {
                    while (!done.get() && flooded.get() < MAX_FLOOD) {
                        out.write(junk);
                        out.flush();
                        flooded.addAndGet(junk.length);
                    }
                } catch (IOException closed) {
                    // the connection is gone: what the client can read is what the test judges
                }
            });
            // Past the stream's end the server reads on and drops what comes, so alice can send far more
            // than the shaper's burst and the sockets' buffers hold; closing at once would have reset
            // the connection and stopped her flood.
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (flooded.get() < DRAINED && flooder.isAlive() && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            // Her session ended once the closing tag was out, as with the connection closed at once:
            // what is sent to her meanwhile goes to offline storage, not into a finished stream.
            ImClients.eventually("alice's session ended", () -> server.get().server().directory().session(ALICE) == null);
            carol.chatWith(dave, "while alice floods");

            String got = readToTheEnd(s.getInputStream());
            done.set(true);
            s.close();
            flooder.join();

            assertThat(Pattern.compile("type=\"result\"").matcher(got).results().count())
                    .as("every ping answered before the error reached the client").isEqualTo(PINGS);
            assertThat(got).as("the stream error, then the closing tag (RFC 6120 §4.9.1)")
                    .contains("<stream:error><not-well-formed").endsWith("</stream:stream>");
            assertThat(flooded.get()).as("the server read on after the stream's end").isGreaterThanOrEqualTo(DRAINED);
            dave.chatWith(carol, "after alice");
        }
    }

    /** Everything until the server's end of input, or until a reset ends the reading. */
    private static String readToTheEnd(InputStream in) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.write(buf, 0, n);
            }
        } catch (IOException reset) {
            // what came before the reset is what the client saw
        }
        return got.toString(StandardCharsets.UTF_8);
    }
}
