package org.parley.feature.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
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
import org.parley.Server;
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
import org.parley.xmpp.forms.DataForm;

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
                "PARLEY_PUSH_MIN_INTERVAL", "0s"), Server.sections(List.of(new PushModule())));
        stores = SqlStores.open(config.database().url(), 2);
        scheduler = Executors.newSingleThreadScheduledExecutor();
        directory = new LocalDirectory();
        Handlers handlers = new Handlers();
        router = new Router(SERVER, directory, handlers, stores.accounts()::exists, new IqTracker(scheduler),
                new ComponentRoutes(config.components().services()));
        push = new PushModule();
        push.openStorage(stores.database());
        push.start(new ModuleContext(config, SERVER, stores, router, directory, handlers, new Features(),
                Clock.systemUTC(), scheduler, new LocalUserLocks()).forModule(push));
        handlers.seal();
        stores.accounts().create("alice", ScramCredentials.deriveAll("pw", 4096, new SecureRandom()));
        new SqlPushStore(stores.database()).enable("alice", new PushRegistration("push.localhost", "n1", null), 10);
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
        assertThat(iq.element().element("pubsub", Namespaces.PUBSUB).element("publish", Namespaces.PUBSUB)
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

    private static Stanza chat(String to, String type, String body) {
        Element.Builder b = Element.builder("message", Namespaces.CLIENT).attr("from", "bob@localhost/desk")
                .attr("to", to).attr("type", type);
        if (body != null) {
            b.textChild("body", Namespaces.CLIENT, body);
        } else {
            b.child(Element.empty("composing", "http://jabber.org/protocol/chatstates"));
        }
        return Stanza.of(b.build());
    }

    private static Map<String, String> summary(Stanza publishIq) {
        Element form = publishIq.element().element("pubsub", Namespaces.PUBSUB)
                .element("publish", Namespaces.PUBSUB).element("item", Namespaces.PUBSUB)
                .element("notification", PushElements.NAMESPACE).element("x", DataForm.NAMESPACE);
        Map<String, String> out = new LinkedHashMap<>();
        for (Element f : form.elements("field", DataForm.NAMESPACE)) {
            out.put(f.attr("var"), f.childText("value", DataForm.NAMESPACE));
        }
        return out;
    }

    @Test
    void theUnacknowledgedMessagesOfASessionThatDetachesMakeOnePushCountingThem() throws Exception {
        FakeSession phone = new FakeSession(Jid.of("alice@localhost/phone"), true).available();
        directory.bind(phone);
        push.detached(phone, List.of(
                chat("alice@localhost", "chat", "first"),
                chat("alice@localhost", "chat", null), // a chat state: nothing to show
                Stanza.presence(Jid.of("bob@localhost/desk"), Jid.of("alice@localhost/phone"), null),
                chat("alice@localhost/phone", "groupchat", "in a room"),
                chat("alice@localhost/phone", "normal", "second")));
        List<Stanza> publishes = publishesWithin(3000);
        assertThat(publishes).hasSize(1);
        assertThat(summary(publishes.get(0))).containsEntry("message-count", "2")
                .containsEntry("last-message-sender", "bob@localhost/desk")
                .doesNotContainKey("last-message-body");
        Thread.sleep(300);
        assertThat(appServer.delivered).as("one push for the whole queue").hasSize(1);
    }

    @Test
    void aSessionDetachingWithNothingToShowInItsQueueMakesNoPush() throws Exception {
        FakeSession phone = new FakeSession(Jid.of("alice@localhost/phone"), true).available();
        directory.bind(phone);
        push.detached(phone, List.of(chat("alice@localhost", "chat", null)));
        push.detached(phone, List.of());
        assertThat(publishesWithin(500)).isEmpty();
    }

    @Test
    void anActiveSessionShowingTheQueuedMessagesMeansNoPushOnDetach() throws Exception {
        FakeSession phone = new FakeSession(Jid.of("alice@localhost/phone"), true).available();
        directory.bind(phone);
        directory.bind(new FakeSession(Jid.of("alice@localhost/desk"), false).available());
        push.detached(phone, List.of(chat("alice@localhost", "chat", "seen on the desk")));
        assertThat(publishesWithin(500)).isEmpty();
    }

    @Test
    void aNegativePrioritySessionDoesNotShowMessagesToTheBareJid() throws Exception {
        FakeSession phone = new FakeSession(Jid.of("alice@localhost/phone"), true).available();
        directory.bind(phone);
        FakeSession bot = new FakeSession(Jid.of("alice@localhost/bot"), false);
        bot.updatePresence(Stanza.of(Element.builder("presence", Namespaces.CLIENT)
                .textChild("priority", Namespaces.CLIENT, "-1").build()));
        directory.bind(bot);
        push.detached(phone, List.of(chat("alice@localhost", "chat", "for a person")));
        assertThat(publishesWithin(3000)).hasSize(1);
    }
}
