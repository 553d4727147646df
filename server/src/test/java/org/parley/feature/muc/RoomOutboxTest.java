package org.parley.feature.muc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.parley.store.StoreException;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;

/** A clustered room's outbox: nothing before its message is durable, and always the room's order. */
class RoomOutboxTest {
    private static final Jid ROOM = Jid.of("room@conference.localhost");
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final RoomOutbox outbox = new RoomOutbox(s -> sent.add(s.element().attr("id")), 1000);

    private static Stanza stanza(String id) {
        return Stanza.of(Stanza.message(ROOM, Jid.of("u@localhost/r"), "groupchat").element().withAttr("id", id));
    }

    private void eventually(List<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!sent.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(sent).isEqualTo(expected);
    }

    @Test
    void withNothingWaitingAStanzaGoesAtOnce() {
        outbox.send(stanza("p1"));
        assertThat(sent).containsExactly("p1");
    }

    @Test
    void whatTheRoomSendsAfterAWaitingMessageGoesAfterItOnceItIsDurable() throws Exception {
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        List<String> pushed = new CopyOnWriteArrayList<>();
        outbox.sendWhenDurable(first, List.of(stanza("m1a"), stanza("m1b")), () -> pushed.add("m1"), e -> null);
        outbox.send(stanza("presence"));
        outbox.sendWhenDurable(second, List.of(stanza("m2")), () -> pushed.add("m2"), e -> null);
        outbox.send(stanza("history"));
        second.complete(null); // a later commit cannot overtake the head
        Thread.sleep(100);
        assertThat(sent).as("nothing before the head is durable").isEmpty();

        first.complete(null);
        eventually(List.of("m1a", "m1b", "presence", "m2", "history"));
        assertThat(pushed).containsExactly("m1", "m2");
        outbox.send(stanza("after"));
        assertThat(sent).last().isEqualTo("after");
    }

    @Test
    void aFailedCommitSendsItsAnswerInsteadOfItsCopiesAndTheRestGoesOn() throws Exception {
        CompletableFuture<Void> failed = new CompletableFuture<>();
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        outbox.sendWhenDurable(failed, List.of(stanza("lost")), () -> sent.add("pushed"), e -> {
            seen.add(e);
            return stanza("error");
        });
        outbox.send(stanza("next"));
        failed.completeExceptionally(new StoreException("down"));
        eventually(List.of("error", "next"));
        assertThat(seen).singleElement().isInstanceOf(StoreException.class);
    }
}
