package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.session.Session;
import org.parley.testing.DeafSocket;
import org.parley.testing.MessageInbox;
import org.parley.testing.ServerExtension;
import org.parley.xmpp.Jid;

/**
 * The slow-reader flood as an attacker runs it (bench/run.sh slowreader): a client that never
 * reads is dropped at its output bound, logs in again at once and still does not read, while the
 * flood goes on. Its offline messages are flushed to the new session, which refuses them too.
 * That once looped (refused, stored offline, flushed back to the refusing session, refused...)
 * until the sender's thread overflowed its stack holding SQLite's write lock, and every later
 * write of the server waited forever. Now the sender goes on, two others keep chatting, a message
 * to an offline user is still stored, and the reader, once it reads, gets what was sent last.
 *
 * <p>On one CPU (the {@code one-cpu} surefire execution), as in the benchmark: with a second
 * carrier the refusing session was unbound by its own thread within milliseconds, which ended the
 * loop; on one, the looping thread never parked, so nothing else ran until its stack overflowed.
 */
@Tag("onecpu")
class SlowReaderReconnectTest {
    private static final String BODY = "x".repeat(32 * 1024);
    private static final int MAX_FLOOD = 2000;
    private static final String FULL = "rr-alice@localhost/deaf";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of("PARLEY_C2S_SEND_TIMEOUT", "1h"));

    /** Logged in, bound, available, and reading nothing from now on. */
    private static Socket deaf() throws Exception {
        Socket s = DeafSocket.bound(server, "rr-alice", "deaf", 8192);
        DeafSocket.send(s.getOutputStream(), "<presence/>");
        ImClients.eventually("alice available", () -> {
            Session session = server.get().server().directory().session(Jid.of(FULL));
            return session != null && session.isAvailable();
        });
        return s;
    }

    private static boolean bound() {
        return server.get().server().directory().session(Jid.of(FULL)) != null;
    }

    /** Floods alice's bare JID until {@code gone}; carol and dave chat every 50 messages. */
    private static int flood(MessageInbox bob, BooleanSupplier gone, MessageInbox carol, MessageInbox dave, int from)
            throws Exception {
        int sent = from;
        while (sent < from + MAX_FLOOD && !gone.getAsBoolean()) {
            bob.sendChat("rr-alice@localhost", sent + " " + BODY);
            sent++;
            if (sent % 50 == 0) {
                bob.sync();
                carol.chatWith(dave, "during " + sent);
            }
        }
        bob.sync();
        return sent;
    }

    @Test
    void aReaderThatComesBackWithoutReadingIsDroppedAgainAndEveryoneElseGoesOn() throws Exception {
        try (MessageInbox bob = server.inbox("rr-bob", "b");
             MessageInbox carol = server.inbox("rr-carol", "c");
             MessageInbox dave = server.inbox("rr-dave", "d")) {
            int sent;
            try (Socket first = deaf()) {
                sent = flood(bob, () -> !bound(), carol, dave, 0);
                ImClients.eventually("the first connection dropped at its output bound", () -> !bound());
            }
            try (Socket again = deaf()) {
                // Bound again, its offline messages flushed to it, and it reads nothing: the flood fills it.
                sent = flood(bob, () -> !bound(), carol, dave, sent);
                ImClients.eventually("the second connection dropped at its output bound", () -> !bound());
                assertThat(sent).as("dropped before the flood ran out").isLessThan(2 * MAX_FLOOD);
            }
            for (int i = 0; i < 3; i++) {
                bob.sendChat("rr-alice@localhost", (sent + i) + " after");
            }
            bob.sync(); // bob's session survived the flood
            carol.chatWith(dave, "after");
            server.account("rr-erin");
            carol.sendChat("rr-erin@localhost", "to an offline user");
            carol.sync(); // stored: the database still takes writes
            try (MessageInbox erin = server.inbox("rr-erin", "e")) {
                assertThat(erin.next().getBody()).isEqualTo("to an offline user");
            }
            try (MessageInbox alice = server.inbox("rr-alice", "reading")) {
                Set<String> got = new HashSet<>();
                Message m;
                while ((m = alice.poll(Duration.ofSeconds(5))) != null) {
                    got.add(m.getBody().substring(0, m.getBody().indexOf(' ')));
                }
                assertThat(got).as("what was sent after the flood is kept for her")
                        .contains(Integer.toString(sent), Integer.toString(sent + 1), Integer.toString(sent + 2));
            }
        }
    }
}
