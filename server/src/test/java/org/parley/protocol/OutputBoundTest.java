package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.session.Session;
import org.parley.testing.DeafSocket;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;

/**
 * c2s.maxPendingOutputBytes on real sockets: a client that stops reading while another floods it
 * is dropped once more than the bound waits for it — long before the send timeout, which is an
 * hour here — and nothing sent after that point is lost: without stream management it is in
 * offline storage, with it the detached session sends every stanza again on resumption. Two
 * other clients keep chatting throughout.
 */
class OutputBoundTest {
    private static final String SM = "urn:xmpp:sm:3";
    private static final String BODY = "x".repeat(32 * 1024);
    private static final int MAX_FLOOD = 1000;

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            // The default bound (4 MiB); the burst of offline messages at login is paced by the
            // client's reading and never meets it (ServerBurstsTest).
            "PARLEY_C2S_SEND_TIMEOUT", "1h",
            "PARLEY_OFFLINE_MAX_PER_USER", "5000"));

    /** A bare TLS socket, logged in and bound, that reads nothing more unless told to. */
    private static Socket deaf(String user, boolean sm) throws Exception {
        Socket s = DeafSocket.bound(server, user, "deaf", 8192);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        if (sm) {
            send(out, "<enable xmlns='" + SM + "' resume='true'/>");
            readUntil(in, "<enabled");
            smId = attr(readUntil(in, ">"), "id");
        }
        send(out, "<presence/>");
        return s;
    }

    private static String smId;

    private static String attr(String xml, String name) {
        Matcher m = Pattern.compile(name + "=['\"]([^'\"]+)['\"]").matcher(xml);
        assertThat(m.find()).as(name + " in " + xml).isTrue();
        return m.group(1);
    }

    private static String readUntil(InputStream in, String marker) throws Exception {
        return DeafSocket.readUntil(in, marker);
    }

    private static void send(OutputStream out, String xml) throws Exception {
        DeafSocket.send(out, xml);
    }

    private static Session session(String full) {
        return server.get().server().directory().session(Jid.of(full));
    }

    private static boolean detached(String full) {
        Session s = session(full);
        assertThat(s).as("the session waits for resumption").isNotNull();
        return s.isDetached();
    }

    /** The innocent pair: one message each way, each received. */
    private static void chat(MessageInbox carol, MessageInbox dave, int round) throws Exception {
        carol.sendChat(dave.jid().toString(), "hi " + round);
        assertThat(dave.next().getBody()).isEqualTo("hi " + round);
        dave.sendChat(carol.jid().toString(), "ho " + round);
        assertThat(carol.next().getBody()).isEqualTo("ho " + round);
    }

    /** Floods {@code to} until {@code gone} holds; returns how many were sent. */
    private static int flood(MessageInbox bob, String to, java.util.function.BooleanSupplier gone,
                             MessageInbox carol, MessageInbox dave) throws Exception {
        int sent = 0;
        while (sent < MAX_FLOOD && !gone.getAsBoolean()) {
            bob.sendChat(to, sent + " " + BODY);
            sent++;
            if (sent % 50 == 0) {
                bob.sync();
                chat(carol, dave, sent);
            }
        }
        bob.sync();
        return sent;
    }

    private static int number(String body) {
        return Integer.parseInt(body.substring(0, body.indexOf(' ')));
    }

    @Test
    void withoutStreamManagementTheReaderIsDroppedAndWhatFollowsGoesOffline() throws Exception {
        try (Socket alice = deaf("ob-alice", false);
             MessageInbox bob = server.inbox("ob-bob", "b");
             MessageInbox carol = server.inbox("ob-carol", "c");
             MessageInbox dave = server.inbox("ob-dave", "d")) {
            String full = "ob-alice@localhost/deaf";
            ImClients.eventually("alice bound", () -> session(full) != null);
            int sent = flood(bob, full, () -> session(full) == null, carol, dave);
            ImClients.eventually("the server dropped the client that stopped reading", () -> session(full) == null);
            assertThat(sent).as("dropped before the flood ran out").isLessThan(MAX_FLOOD);
            for (int i = 0; i < 3; i++) {
                bob.sendChat(full, (sent + i) + " after");
            }
            bob.sync();
            chat(carol, dave, -1);

            try (MessageInbox back = server.inbox("ob-alice", "back")) {
                List<Integer> offline = new ArrayList<>();
                Message m;
                while ((m = back.poll(java.time.Duration.ofSeconds(3))) != null) {
                    offline.add(number(m.getBody()));
                }
                assertThat(offline).as("the stanza refused at the bound and all after it are stored")
                        .isNotEmpty().contains(sent, sent + 1, sent + 2);
                int first = offline.stream().mapToInt(Integer::intValue).min().orElseThrow();
                assertThat(first).as("at least the refused stanza itself").isLessThan(sent);
                List<Integer> expected = new ArrayList<>();
                for (int i = first; i < sent + 3; i++) {
                    expected.add(i);
                }
                // Stanzas refused while the session was still bound are stored from its mailbox once it
                // ended; those routed after it ended are stored at once: the few of that moment may swap.
                assertThat(offline).as("from the first refused stanza on, none lost")
                        .containsExactlyInAnyOrderElementsOf(expected);
            }
        }
    }

    @Test
    void withStreamManagementTheSessionDetachesAndResumptionSendsEverything() throws Exception {
        try (Socket alice = deaf("obsm-alice", true);
             MessageInbox bob = server.inbox("obsm-bob", "b");
             MessageInbox carol = server.inbox("obsm-carol", "c");
             MessageInbox dave = server.inbox("obsm-dave", "d")) {
            String id = smId;
            String full = "obsm-alice@localhost/deaf";
            ImClients.eventually("alice bound", () -> session(full) != null);
            int sent = flood(bob, full, () -> detached(full), carol, dave);
            ImClients.eventually("the session detached", () -> detached(full));
            assertThat(sent).isLessThan(MAX_FLOOD);
            bob.sendChat(full, sent + " after");
            bob.sync();
            chat(carol, dave, -1);

            server.account("obsm-alice");
            try (RawStreamClient back = RawStreamClient.directTls(server.get())) {
                back.openAndReadFeatures(TestServer.DOMAIN);
                back.authPlain("obsm-alice", ServerExtension.password("obsm-alice"));
                back.restart(TestServer.DOMAIN);
                back.send("<resume xmlns='" + SM + "' previd='" + id + "' h='0'/>");
                back.expect(e -> e.is("resumed", SM), "<resumed/>");
                for (int i = 0; i <= sent; i++) {
                    Element m = back.expect(e -> e.is("message", Namespaces.CLIENT), "message " + i);
                    assertThat(number(m.childText("body", Namespaces.CLIENT))).as("every stanza, in order")
                            .isEqualTo(i);
                }
            }
            chat(carol, dave, -2);
        }
    }
}
