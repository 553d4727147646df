package org.parley.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;

class IqTrackerTest {
    private static final Jid SERVER = Jid.domain("localhost");
    private static final Jid ALICE = Jid.of("alice@localhost/phone");
    private static final Jid MALLORY = Jid.of("mallory@localhost/laptop");

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final IqTracker tracker = new IqTracker(scheduler);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static Stanza result(Jid from, String id) {
        return Stanza.iq(from, SERVER, "result", id);
    }

    @Test
    void theAddresseesAnswerCompletesTheRequest() throws Exception {
        String id = tracker.nextId();
        CompletableFuture<Stanza> f = tracker.expect(id, ALICE, Duration.ofSeconds(5));

        assertThat(tracker.complete(result(ALICE, id))).isTrue();

        assertThat(f.get(1, TimeUnit.SECONDS).from()).isEqualTo(ALICE);
        assertThat(tracker.complete(result(ALICE, id))).as("a second answer").isFalse();
    }

    @Test
    void anAnswerWithTheRightIdFromSomeoneElseIsIgnored() {
        String id = tracker.nextId();
        CompletableFuture<Stanza> f = tracker.expect(id, ALICE, Duration.ofSeconds(5));

        assertThat(tracker.complete(result(MALLORY, id))).isFalse();

        assertThat(f).isNotDone();
        assertThat(tracker.complete(result(ALICE, id))).isTrue();
    }

    @Test
    void noAnswerFailsWithATimeout() {
        CompletableFuture<Stanza> f = tracker.expect(tracker.nextId(), ALICE, Duration.ofMillis(50));

        assertThat(f).failsWithin(Duration.ofSeconds(2)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void idsAreDistinct() {
        assertThat(tracker.nextId()).isNotEqualTo(tracker.nextId());
    }
}
