package org.parley.feature.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.component.ComponentRoutes;
import org.parley.route.Handlers;
import org.parley.route.IqTracker;
import org.parley.route.LocalDirectory;
import org.parley.route.Router;
import org.parley.testing.FakeSession;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.forms.DataForm;

/**
 * A flood to an offline user whose registrations are slow to read (a busy database): what waits
 * for the read is one notice per user, counting every message, not a task per message holding
 * its body and reading the registrations again (the slow-reader benchmark queued its flood that
 * way). The app server gets a notice for the first message and one for the rest, and the store is
 * read twice, not ten thousand times.
 */
class PushNotifierFloodTest {
    private static final Jid SERVER = Jid.domain("localhost");
    private static final int FLOOD = 10_000;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    /** Registrations of every user: one app server; each read waits until {@code open} is released. */
    private static final class SlowStore implements PushStore {
        final CountDownLatch open = new CountDownLatch(1);
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public boolean enable(String owner, PushRegistration registration, int max) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int disable(String owner, String jid, String node) {
            return 0;
        }

        @Override
        public List<PushRegistration> list(String owner) {
            reads.incrementAndGet();
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(new PushRegistration("push.localhost", "n1", null));
        }
    }

    @Test
    void aFloodWhileTheStoreIsSlowMakesAFewNoticesCountingEveryMessage() throws Exception {
        LocalDirectory directory = new LocalDirectory();
        Handlers handlers = new Handlers();
        handlers.seal();
        Router router = new Router(SERVER, directory, handlers, u -> true, new IqTracker(scheduler),
                new ComponentRoutes(Map.of("push.localhost", "x")));
        FakeSession appServer = new FakeSession(Jid.of("push.localhost/component"), false);
        directory.bind(appServer);
        SlowStore store = new SlowStore();
        PushNotifier notifier = new PushNotifier(store, router, SERVER, executor, scheduler, Clock.systemUTC(),
                Duration.ZERO, false);

        notifier.messageMissed("alice", Jid.of("bob@localhost/desk"), "message 0");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.reads.get() == 0 && System.nanoTime() < until) {
            Thread.sleep(5); // the first notice reads the registrations, and waits
        }
        for (int i = 1; i < FLOOD; i++) {
            notifier.messageMissed("alice", Jid.of("bob@localhost/desk"), "message " + i);
        }
        store.open.countDown();

        until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int counted = 0;
        while (counted < FLOOD && System.nanoTime() < until) {
            counted = appServer.delivered.stream().mapToInt(PushNotifierFloodTest::count).sum();
            Thread.sleep(20);
        }
        assertThat(counted).as("every message counted once").isEqualTo(FLOOD);
        assertThat(appServer.delivered).as("the first message's notice and one for the rest").hasSize(2);
        assertThat(store.reads.get()).as("the registrations read once per notice, not once per message")
                .isEqualTo(2);
    }

    private static int count(Stanza publish) {
        Element form = publish.element().element("pubsub", Namespaces.PUBSUB)
                .element("publish", Namespaces.PUBSUB).element("item", Namespaces.PUBSUB)
                .element("notification", PushElements.NAMESPACE).element("x", DataForm.NAMESPACE);
        for (Element f : form.elements("field", DataForm.NAMESPACE)) {
            if ("message-count".equals(f.attr("var"))) {
                return Integer.parseInt(f.childText("value", DataForm.NAMESPACE));
            }
        }
        return 0;
    }
}
