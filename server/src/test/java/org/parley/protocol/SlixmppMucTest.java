package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.parley.protocol.Mucs.muc;
import static org.parley.protocol.Mucs.next;
import static org.parley.protocol.Mucs.nick;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ServerExtension;

/**
 * A real client in a room (the issue's proof): Debian's slixmpp ({@code /usr/bin/python3},
 * python3-slixmpp) makes a room, talks with a Smack occupant and leaves
 * ({@code src/test/resources/slixmpp/muc_client.py}). Skipped with a message where slixmpp is
 * not installed.
 */
class SlixmppMucTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private static boolean slixmppInstalled() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import slixmpp").redirectErrorStream(true).start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void slixmppJoinsTalksInAndLeavesARoom() throws Exception {
        assumeTrue(slixmppInstalled(), "slixmpp is not installed (apt-get install python3-slixmpp)");
        server.account("slix-alice");
        XMPPTCPConnection bob = server.login("slix-bob");
        Path script = Path.of(getClass().getResource("/slixmpp/muc_client.py").toURI());
        Process client = new ProcessBuilder(PYTHON.toString(), script.toString(), "slix-alice@localhost/slixmpp",
                ServerExtension.password("slix-alice"), Integer.toString(server.get().c2sPort()),
                "slix@" + Mucs.SERVICE, "Alice").redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                lines.add("READ FAILED " + e);
            }
        });
        try {
            assertThat(until(lines, "JOINED")).as("slixmpp made and joined the room").isEqualTo("JOINED");
            MultiUserChat b = muc(bob, "slix");
            BlockingQueue<Presence> seen = new LinkedBlockingQueue<>();
            b.addParticipantListener(seen::add);
            b.join(nick("Bob"));
            assertThat(b.getOccupants()).extracting(Object::toString).contains("slix@conference.localhost/Alice");
            b.sendMessage("hello from smack");
            assertThat(next(b).getBody()).isEqualTo("hello from smack");
            assertThat(next(b).getBody()).as("slixmpp answers in the room").isEqualTo("hello from slixmpp");
            assertThat(until(lines, "LEFT")).isEqualTo("LEFT");
            Presence left = seen.poll(10, TimeUnit.SECONDS);
            while (left != null && left.getType() != Presence.Type.unavailable) {
                left = seen.poll(10, TimeUnit.SECONDS);
            }
            assertThat(left).as("Bob sees slixmpp leave").isNotNull();
            assertThat(left.getFrom().toString()).isEqualTo("slix@conference.localhost/Alice");
            assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitValue()).as("slixmpp's exit status").isZero();
        } finally {
            client.destroy();
            reader.join(5000);
            bob.disconnect();
        }
    }

    /** The first line that is {@code wanted} or reports a failure; what the client printed meanwhile goes to the assertion. */
    private static String until(BlockingQueue<String> lines, String wanted) throws InterruptedException {
        StringBuilder seen = new StringBuilder();
        for (String line = lines.poll(60, TimeUnit.SECONDS); line != null; line = lines.poll(60, TimeUnit.SECONDS)) {
            if (line.equals(wanted) || line.startsWith("FAILED")) {
                return line.equals(wanted) ? line : line + "\n" + seen;
            }
            seen.append(line).append('\n');
        }
        return "nothing more from slixmpp after:\n" + seen;
    }
}
