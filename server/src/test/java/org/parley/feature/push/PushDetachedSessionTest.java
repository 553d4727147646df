package org.parley.feature.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.auth.ScramCredentials;
import org.parley.component.ComponentRoutes;
import org.parley.config.Config;
import org.parley.config.ConfigLoader;
import org.parley.module.Features;
import org.parley.module.LocalUserLocks;
import org.parley.module.ModuleContext;
import org.parley.route.Handlers;
import org.parley.route.IqTracker;
import org.parley.route.LocalDirectory;
import org.parley.route.Router;
import org.parley.store.PushRegistration;
import org.parley.store.sql.SqlStores;
import org.parley.xml.Element;
import org.parley.testing.FakeSession;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;

/**
 * The detached-session trigger: a session that waits to be resumed (XEP-0198) still takes the
 * user's messages, but nobody reads them, so the app server is notified. Stream management is
 * another branch's; its sessions are stood in for here by a session whose {@code isDetached()}
 * says so, with the real router, directory, store and push module, and the app server as a
 * session bound where a component would be.
 */
class PushDetachedSessionTest {
    private static final Jid SERVER = Jid.domain("localhost");

    @TempDir
    Path dir;
    private SqlStores stores;
    private ScheduledExecutorService scheduler;
    private LocalDirectory directory;
    private Router router;
    private PushModule push;
    private FakeSession appServer;

    @BeforeEach
    void start() {
        Config config = ConfigLoader.load(null, Map.of(
                "PARLEY_DATA_DIR", dir.toString(),
                "PARLEY_COMPONENTS_SERVICES", "push.localhost=x",
                "PARLEY_PUSH_MIN_INTERVAL", "0s"));
        stores = SqlStores.open(config.databaseUrl(), 2);
        scheduler = Executors.newSingleThreadScheduledExecutor();
        directory = new LocalDirectory();
        Handlers handlers = new Handlers();
        router = new Router(SERVER, directory, handlers, stores.accounts()::exists, new IqTracker(scheduler),
                new ComponentRoutes(config.componentsServices()));
        push = new PushModule();
        push.start(new ModuleContext(config, SERVER, stores, router, directory, handlers, new Features(),
                Clock.systemUTC(), scheduler, new LocalUserLocks()));
        handlers.seal();
        stores.accounts().create("alice", ScramCredentials.deriveAll("pw", 4096, new SecureRandom()));
        stores.push().enable("alice", new PushRegistration("push.localhost", "n1", null), 10);
        appServer = new FakeSession(Jid.of("push.localhost/component"), false);
        directory.bind(appServer);
    }

    @AfterEach
    void stop() {
        push.stop();
        scheduler.shutdownNow();
        stores.close();
    }

    private void messageToAlice(String to) {
        router.route(Stanza.message(Jid.of("bob@localhost/desk"), Jid.of(to), "chat",
                Element.builder("body", Namespaces.CLIENT).text("hello").build()));
    }

    private List<Stanza> publishesWithin(long ms) throws InterruptedException {
        long until = System.currentTimeMillis() + ms;
        while (appServer.delivered.isEmpty() && System.currentTimeMillis() < until) {
            Thread.sleep(10);
        }
        return appServer.delivered;
    }

    @Test
    void aMessageTakenOnlyByADetachedSessionIsPushed() throws Exception {
        FakeSession phone = new FakeSession(Jid.of("alice@localhost/phone"), true).available();
        directory.bind(phone);
        messageToAlice("alice@localhost");
        assertThat(phone.delivered).as("the detached session still takes it, for resumption").hasSize(1);
        List<Stanza> publishes = publishesWithin(3000);
        assertThat(publishes).hasSize(1);
        Stanza iq = publishes.get(0);
        assertThat(iq.to().toString()).isEqualTo("push.localhost");
        assertThat(iq.from().toString()).isEqualTo("alice@localhost");
        assertThat(iq.element().element("pubsub", PushElements.PUBSUB).element("publish", PushElements.PUBSUB)
                .attr("node")).isEqualTo("n1");
    }

    @Test
    void twoDetachedSessionsMakeOnePush() throws Exception {
        directory.bind(new FakeSession(Jid.of("alice@localhost/phone"), true).available());
        directory.bind(new FakeSession(Jid.of("alice@localhost/tablet"), true).available());
        messageToAlice("alice@localhost");
        assertThat(publishesWithin(3000)).hasSize(1);
        Thread.sleep(300);
        assertThat(appServer.delivered).hasSize(1);
    }

    @Test
    void anActiveSessionBesideADetachedOneMeansNoPush() throws Exception {
        directory.bind(new FakeSession(Jid.of("alice@localhost/phone"), true).available());
        FakeSession desk = new FakeSession(Jid.of("alice@localhost/desk"), false).available();
        directory.bind(desk);
        messageToAlice("alice@localhost");
        assertThat(desk.delivered).hasSize(1);
        assertThat(publishesWithin(500)).isEmpty();
    }

    @Test
    void aMessageToTheDetachedResourceItselfIsPushed() throws Exception {
        directory.bind(new FakeSession(Jid.of("alice@localhost/phone"), true).available());
        messageToAlice("alice@localhost/phone");
        assertThat(publishesWithin(3000)).hasSize(1);
    }

    @Test
    void anActiveSessionAloneMeansNoPush() throws Exception {
        FakeSession desk = new FakeSession(Jid.of("alice@localhost/desk"), false).available();
        directory.bind(desk);
        messageToAlice("alice@localhost");
        assertThat(desk.delivered).hasSize(1);
        assertThat(publishesWithin(500)).isEmpty();
    }
}
