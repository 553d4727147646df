package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.protocol.ImClients.bare;
import static org.parley.protocol.ImClients.eventually;
import static org.parley.protocol.ImClients.messages;
import static org.parley.protocol.ImClients.next;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ServerExtension;
import org.slf4j.LoggerFactory;

/**
 * What an operator reads: one INFO line per connection event, each naming its session, for a real
 * Smack login, message and logout — and nothing a log must never hold, at any level: passwords,
 * SASL payloads, message bodies.
 */
class ConnectionLogTest {
    private static final String EVENTS = "org.parley.c2s.ConnectionLog";
    private static final String BODY = "meet me at the old mill at nine";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();
    static final ImClients im = new ImClients(server);

    /** The server's own loggers and Netty's, which log on its I/O threads. */
    private static final List<String> CAPTURED = List.of("org.parley", "io.netty");

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing(); // the MDC and message as they were on the logging thread
            super.append(event);
        }
    };
    private final List<Level> levels = new ArrayList<>();

    @BeforeEach
    void capture() {
        captured.start();
        for (String name : CAPTURED) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            levels.add(logger.getLevel());
            logger.setLevel(Level.ALL); // debug and trace lines must be clean too
            logger.setAdditive(false); // into the list only, not onto the console
            logger.addAppender(captured);
        }
    }

    @AfterEach
    void release() {
        for (int i = 0; i < CAPTURED.size(); i++) {
            Logger logger = (Logger) LoggerFactory.getLogger(CAPTURED.get(i));
            logger.detachAppender(captured);
            logger.setAdditive(true);
            logger.setLevel(levels.get(i));
        }
    }

    @Test
    void aLoginAMessageAndALogoutTellTheirStoryWithoutSecrets() throws Exception {
        im.users("log_alice", "log_bob");
        XMPPTCPConnection bob = im.online("log_bob", "desk");
        BlockingQueue<Message> atBob = messages(bob);
        XMPPTCPConnection alice = im.online("log_alice", "phone");
        String sid = sidOf("bound log_alice@localhost/phone");
        alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(bare("log_bob")).ofType(Message.Type.chat)
                .setBody(BODY).build());
        assertThat(next(atBob).getBody()).isEqualTo(BODY);
        alice.disconnect();
        eventually("alice's session is closed", () -> !lines(sid, "closed:").isEmpty());

        List<String> story = lines(sid, "");
        assertThat(story.get(0)).matches("connected from /127\\.0\\.0\\.1:\\d+ over tcp");
        assertThat(story.get(1)).matches("TLS established: TLSv1\\.[23] TLS_\\w+");
        assertThat(story.get(2)).matches("authenticated as log_alice with SCRAM-SHA-(1|256)");
        assertThat(story.get(3)).isEqualTo("bound log_alice@localhost/phone");
        assertThat(story.get(4)).matches("closed: client closed the stream; after \\d+\\.\\d s, stanzas in \\d+, out \\d+");
        assertThat(story).hasSize(5);
        int in = Integer.parseInt(story.get(4).replaceAll(".*stanzas in (\\d+),.*", "$1"));
        assertThat(in).as("roster get, presence, message at least").isGreaterThanOrEqualTo(3);

        bob.disconnect();
        assertNoSecrets("log_alice-pw", "log_bob-pw", BODY);
    }

    @Test
    void aFailedLoginNamesTheAccountAndTheConditionButNotThePassword() throws Exception {
        im.users("log_carol");
        XMPPTCPConnection carol = new XMPPTCPConnection(server.clients().builder()
                .setUsernameAndPassword("log_carol", "not-carols-password").build());
        try {
            carol.connect();
            assertThatThrownBy(carol::login).isInstanceOf(SASLErrorException.class);
        } finally {
            carol.disconnect();
        }
        String sid = sidOf("authentication failed for log_carol");
        assertThat(lines(sid, "authentication failed")).singleElement().asString()
                .matches("authentication failed for log_carol with SCRAM-SHA-(1|256): not-authorized");
        eventually("the connection is closed", () -> !lines(sid, "closed:").isEmpty());
        assertNoSecrets("not-carols-password", "log_carol-pw");
    }

    @Test
    void aDroppedPhoneIsDetachedAndResumedUnderTheSameSession() throws Exception {
        im.users("log_dave");
        XMPPTCPConnection dave = im.online("log_dave", "phone");
        String sid = sidOf("bound log_dave@localhost/phone");
        dave.instantShutdown(); // no </stream:stream>: the network went away
        eventually("the session is detached", () -> !lines(sid, "detached:").isEmpty());
        dave.connect().login();
        assertThat(dave.streamWasResumed()).isTrue();
        eventually("the session is resumed", () -> !lines(sid, "resumed by connection").isEmpty());
        String resumed = lines(sid, "resumed by connection").get(0);
        assertThat(resumed).matches("resumed by connection \\w+ from /127\\.0\\.0\\.1:\\d+ over tcp after \\d+\\.\\d s detached");
        String newSid = resumed.split(" ")[3];
        assertThat(newSid).isNotEqualTo(sid);
        assertThat(lines(newSid, "")).as("the new connection's own story up to the resumption")
                .anyMatch(l -> l.startsWith("authenticated as log_dave"));
        dave.disconnect();
        eventually("the resumed session is closed", () -> !lines(sid, "closed:").isEmpty());
        assertThat(lines(sid, "closed:")).singleElement().asString().startsWith("closed: client closed the stream");
        assertNoSecrets("log_dave-pw");
    }

    /** The session id of the connection event whose message starts with {@code prefix}. */
    private String sidOf(String prefix) throws InterruptedException {
        eventually("a line starting with " + prefix, () -> events().stream()
                .anyMatch(e -> e.getLoggerName().equals(EVENTS) && e.getFormattedMessage().startsWith(prefix)));
        ILoggingEvent event = events().stream()
                .filter(e -> e.getLoggerName().equals(EVENTS) && e.getFormattedMessage().startsWith(prefix))
                .findFirst().orElseThrow();
        String sid = event.getMDCPropertyMap().get("sid");
        assertThat(sid).isNotBlank();
        return sid;
    }

    /** The connection events of one session, in order, each at INFO and under its session id. */
    private List<String> lines(String sid, String prefix) {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : events()) {
            if (e.getLoggerName().equals(EVENTS) && sid.equals(e.getMDCPropertyMap().get("sid"))
                    && e.getFormattedMessage().startsWith(prefix)) {
                assertThat(e.getLevel()).isEqualTo(Level.INFO);
                out.add(e.getFormattedMessage());
            }
        }
        return out;
    }

    private List<ILoggingEvent> events() {
        synchronized (captured) {
            return new ArrayList<>(captured.list);
        }
    }

    /** No line, at any level, with its MDC and stack trace, holds any of these or a SASL client message. */
    private void assertNoSecrets(String... secrets) {
        List<String> all = new ArrayList<>();
        for (ILoggingEvent e : events()) {
            all.add(e.getFormattedMessage() + " " + e.getMDCPropertyMap()
                    + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())));
        }
        assertThat(all).as("captured lines").isNotEmpty();
        // A SCRAM client-first message ("n,,n=<user>,r=<nonce>") as the client sends it, base64-encoded.
        String saslPayload = Base64.getEncoder().encodeToString("n,,n=".getBytes(StandardCharsets.UTF_8)).substring(0, 6);
        for (String line : all) {
            for (String secret : secrets) {
                assertThat(line).doesNotContain(secret);
            }
            assertThat(line).doesNotContain(saslPayload).doesNotContain("n,,n=");
        }
    }
}
