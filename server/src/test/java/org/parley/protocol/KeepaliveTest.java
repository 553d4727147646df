package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.RawTextClient;
import org.parley.testing.ServerExtension;

/** RFC 6120 §4.6.1: the server keeps an idle connection alive with single whitespace characters. */
class KeepaliveTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of("PARLEY_C2S_KEEPALIVE_INTERVAL", "1s"));

    @Test
    void anIdleBoundClientSeesSingleSpaces() throws Exception {
        server.createUser("ka-idle", "pw");
        try (RawTextClient raw = RawTextClient.login(server.get(), "ka-idle", "pw", "raw")) {
            String idle = raw.collect(Duration.ofMillis(2600));

            assertThat(idle).matches(" {2,3}");
            assertThat(raw.isClosedByServer()).isFalse();
        }
    }

    @Test
    void trafficPostponesTheKeepalive() throws Exception {
        server.createUser("ka-busy", "pw");
        try (RawTextClient raw = RawTextClient.login(server.get(), "ka-busy", "pw", "raw")) {
            for (int i = 0; i < 4; i++) {
                raw.send("<iq type='get' id='p" + i + "' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
                String answer = raw.expect("id=\"p" + i + "\"/>");
                assertThat(answer).startsWith("<iq").doesNotContain(" <");
                Thread.sleep(500);
            }
        }
    }

    /**
     * Whitespace may only appear between elements of an open stream: before the server's stream
     * header it would sit in front of the XML declaration and make the stream ill-formed.
     */
    @Test
    void noKeepaliveIsSentBeforeTheStreamHeader() throws Exception {
        try (RawTextClient raw = RawTextClient.connect(server.get())) {
            String before = raw.collect(Duration.ofMillis(1600));
            raw.openStream();

            assertThat(before + raw.expect("<stream:features")).startsWith("<?xml version='1.0'?>");
        }
    }
}
