package org.parley.feature.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;

/** Each covered message is remembered as long as its own session's window lasts, not a global maximum. */
class PushedMessagesTest {
    private static final Jid ALICE = Jid.of("alice@localhost");

    private static Stanza message(String id) {
        return Stanza.of(Element.builder("message", Namespaces.CLIENT).attr("id", id).attr("from", "bob@localhost/b")
                .attr("to", "alice@localhost").textChild("body", Namespaces.CLIENT, "hi").build());
    }

    @Test
    void aMessageIsRememberedForItsSessionsWindowAndTakenOnce() throws InterruptedException {
        PushedMessages pushed = new PushedMessages(100);
        pushed.covered(ALICE, message("short"), Duration.ofMillis(50));
        pushed.covered(ALICE, message("long"), Duration.ofMinutes(10));
        Thread.sleep(200);
        assertThat(pushed.takeCovered(ALICE, message("short"))).as("its window closed long ago").isFalse();
        assertThat(pushed.takeCovered(ALICE, message("long"))).isTrue();
        assertThat(pushed.takeCovered(ALICE, message("long"))).as("forgotten once taken").isFalse();
    }
}
