package org.parley.feature.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.Server;
import org.parley.auth.ScramCredentials;
import org.parley.config.Config;
import org.parley.config.ConfigLoader;
import org.parley.module.Features;
import org.parley.module.LocalUserLocks;
import org.parley.module.ModuleContext;
import org.parley.route.Handlers;
import org.parley.route.IqTracker;
import org.parley.route.LocalDirectory;
import org.parley.route.Router;
import org.parley.store.sql.SqlStores;
import org.parley.testing.FakeSession;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;

/**
 * A session that refuses a stored message while the offline store is flushed to it (its connection
 * over c2s.maxPendingOutputBytes, or closed) while the store is full: the message is neither lost
 * nor bounced, it stays stored in its place for the next login. The session stands in for
 * C2sSession.refused with the real router, directory, store and offline module: it marks itself
 * leaving and routes the stanza again as undeliverable, on the flushing thread, as the real one does.
 */
class OfflineFlushRefusalTest {
    private static final Jid SERVER = Jid.domain("localhost");
    private static final int CAP = 3;

    @TempDir
    Path dir;
    private SqlStores stores;
    private ScheduledExecutorService scheduler;
    private LocalDirectory directory;
    private Router router;
    private OfflineModule offline;
    private FakeSession bob;

    @BeforeEach
    void start() {
        Config config = ConfigLoader.load(null, Map.of(
                "PARLEY_DATA_DIR", dir.toString(),
                "PARLEY_OFFLINE_MAX_PER_USER", Integer.toString(CAP)), Server.sections(List.of(new OfflineModule())));
        stores = SqlStores.open(config.database().url(), 2);
        scheduler = Executors.newSingleThreadScheduledExecutor();
        directory = new LocalDirectory();
        Handlers handlers = new Handlers();
        router = new Router(SERVER, directory, handlers, stores.accounts()::exists, new IqTracker(scheduler));
        offline = new OfflineModule();
        offline.openStorage(stores.database());
        offline.start(new ModuleContext(config, SERVER, stores, router, directory, handlers, new Features(),
                Clock.systemUTC(), scheduler, new LocalUserLocks()).forModule(offline));
        handlers.seal();
        stores.accounts().create("alice", ScramCredentials.deriveAll("pw", 4096, new SecureRandom()));
        stores.accounts().create("bob", ScramCredentials.deriveAll("pw", 4096, new SecureRandom()));
        bob = new FakeSession(Jid.of("bob@localhost/desk")).available();
        directory.bind(bob);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        stores.close();
    }

    /** Bob's message n to alice, with the stanza-id the archive adds under her address when {@code archived}. */
    private void message(int n, boolean archived) {
        Element m = Element.builder("message", Namespaces.CLIENT)
                .attr("from", "bob@localhost/desk").attr("to", "alice@localhost").attr("type", "chat")
                .child(Element.builder("body", Namespaces.CLIENT).text("m" + n).build())
                .build();
        if (archived) {
            m = m.withChild(Element.builder("stanza-id", Namespaces.STANZA_ID)
                    .attr("by", "alice@localhost").attr("id", "sid-" + n).build());
        }
        router.route(Stanza.of(m));
    }

    private List<String> stored() {
        return new SqlOfflineStore(stores.database()).fetch("alice", 100).stream()
                .map(m -> org.parley.xml.XmlStrings.parse(m.stanzaXml()).childText("body", Namespaces.CLIENT))
                .toList();
    }

    private List<Stanza> errorsToBob() {
        return bob.delivered.stream().filter(s -> "error".equals(s.type())).toList();
    }

    @ParameterizedTest(name = "archived={0}")
    @ValueSource(booleans = {true, false})
    void aStoredMessageRefusedDuringTheFlushStaysStoredInItsPlace(boolean archived) {
        for (int n = 0; n < CAP; n++) {
            message(n, archived);
        }
        assertThat(stored()).containsExactly("m0", "m1", "m2");
        message(CAP, archived);
        assertThat(errorsToBob()).as("the store is full: the next message bounces (XEP-0160)").hasSize(1);

        RefusingSession alice = new RefusingSession(Jid.of("alice@localhost/phone"), 1);
        directory.bind(alice.available());
        offline.availabilityChanged(alice, true, true);

        assertThat(alice.taken).containsExactly("m0");
        assertThat(alice.refused).containsExactly("m1");
        assertThat(stored()).as("what she refused is kept first, the rest after it: nothing vanished")
                .containsExactly("m1", "m2");
        assertThat(errorsToBob()).as("and nothing kept is bounced").hasSize(1);
    }

    /** Takes the first {@code takes} stanzas; refuses the next as C2sSession.refused does, and all after it. */
    private final class RefusingSession extends FakeSession {
        final List<String> taken = new CopyOnWriteArrayList<>();
        final List<String> refused = new CopyOnWriteArrayList<>();
        private final int takes;
        private volatile boolean leaving;

        RefusingSession(Jid jid, int takes) {
            super(jid);
            this.takes = takes;
        }

        @Override
        public void deliver(Stanza stanza) {
            String body = stanza.element().childText("body", Namespaces.CLIENT);
            if (!leaving && taken.size() < takes) {
                taken.add(body);
                return;
            }
            refused.add(body);
            leaving = true;
            router.undeliverable(stanza.withTo(jid()), this);
        }

        @Override
        public boolean isLeaving() {
            return leaving;
        }
    }
}
