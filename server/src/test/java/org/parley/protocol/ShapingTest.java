package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;

/**
 * Inbound shaping per connection (c2s.maxInboundStanzasPerSecond and its burst): a burst within
 * the allowance passes untouched; a client that keeps sending faster than the rate is slowed
 * (reading pauses) and, held back for longer than c2s.shapingGrace, ends with policy-violation,
 * far short of what it tried to send. Two other clients keep chatting throughout.
 */
class ShapingTest {
    private static final int FLOOD = 3000;

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_C2S_MAX_INBOUND_STANZAS_PER_SECOND", "10",
            "PARLEY_C2S_INBOUND_STANZA_BURST", "20",
            "PARLEY_C2S_SHAPING_GRACE", "3s"));



    @Test
    void aBurstWithinTheAllowancePasses() throws Exception {
        try (MessageInbox bob = server.inbox("burst-bob", "b");
             RawStreamClient alice = server.bound("burst-alice", "a")) {
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 15; i++) {
                burst.append("<message type='chat' to='burst-bob@localhost/b'><body>m").append(i).append("</body></message>");
            }
            alice.send(burst.toString());
            for (int i = 0; i < 15; i++) {
                assertThat(bob.next().getBody()).isEqualTo("m" + i);
            }
        }
    }

    @Test
    void aClientThatKeepsFloodingIsSlowedThenEnded() throws Exception {
        try (MessageInbox alice = server.inbox("sh-alice", "a");
             MessageInbox bob = server.inbox("sh-bob", "b");
             MessageInbox victim = server.inbox("sh-victim", "v");
             RawStreamClient flooder = server.bound("sh-flooder", "f")) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread sender = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < FLOOD && !stop.get(); i++) {
                    try {
                        flooder.send("<message type='chat' to='sh-victim@localhost/v'><body>" + i + "</body></message>");
                    } catch (Exception closed) {
                        return; // the server ended the stream
                    }
                }
            });
            try {
                alice.chatWith(bob, "during the flood");
                long end = System.nanoTime() + 60_000_000_000L;
                String condition = null;
                while (condition == null) {
                    try {
                        condition = flooder.expectStreamError();
                    } catch (AssertionError quiet) {
                        if (System.nanoTime() > end || !String.valueOf(quiet.getMessage()).startsWith("nothing from")) {
                            throw quiet;
                        }
                    }
                }
                assertThat(condition).isEqualTo("policy-violation");
            } finally {
                stop.set(true);
                sender.join();
            }
            bob.chatWith(alice, "after the flood");
            int received = 0;
            while (victim.poll(java.time.Duration.ofMillis(500)) != null) {
                received++;
            }
            assertThat(received).as("slowed: far from all %d got through", FLOOD).isPositive().isLessThan(FLOOD);
        }
    }
}
