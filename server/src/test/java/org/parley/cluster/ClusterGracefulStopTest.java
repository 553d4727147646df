package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.session.Session;
import org.parley.session.SessionListener;
import org.parley.store.RosterItem;
import org.parley.store.Stores;
import org.parley.store.Subscription;
import org.parley.testing.MessageInbox;
import org.slf4j.LoggerFactory;

/**
 * A graceful stop (what SIGTERM runs) ends its sessions before it closes what their endings use:
 * a session whose end work is slow (as thousands of them are on a loaded machine: each reads the
 * roster and routes an unavailable presence to every contact) still tells its contact on another
 * node that it left, and nothing is logged about a closed store. The stop used to close the stores
 * 5 s after it ended the streams, whatever the sessions were still doing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterGracefulStopTest {
    /** Longer than the 5 s the stop used to give the sessions' endings. */
    private static final Duration SLOW_END = Duration.ofSeconds(7);
    @TempDir
    static Path dir;
    ClusterTestNodes cluster;
    Server a;
    Server b;
    final SlowGoodbye slow = new SlowGoodbye();

    @BeforeAll
    void start() {
        cluster = ClusterTestNodes.create(dir);
        // The slow listener first: the presence module's own ending runs after it, as it would
        // behind a slow database.
        List<Module> modules = new ArrayList<>();
        modules.add(slow);
        modules.addAll(Server.defaultModules());
        a = cluster.startWith("a", Map.of(), modules);
        b = cluster.start("b");
        cluster.createUsers("alice", "bob");
        a.stores().roster().put("alice", RosterItem.of("bob@localhost").withSubscription(Subscription.BOTH));
        a.stores().roster().put("bob", RosterItem.of("alice@localhost").withSubscription(Subscription.BOTH));
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aStoppingNodeTellsTheContactsOfItsUsersBeforeItClosesTheStores() throws Exception {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Logger parley = (Logger) LoggerFactory.getLogger("org.parley");
        logged.start();
        parley.addAppender(logged);
        try (MessageInbox bob = MessageInbox.login(cluster.clients(b), "bob", "bob-pw", "r")) {
            BlockingQueue<Presence> bobSees = new LinkedBlockingQueue<>();
            bob.connection().addSyncStanzaListener(s -> bobSees.add((Presence) s),
                    s -> s instanceof Presence && s.getFrom() != null && s.getFrom().toString().equals("alice@localhost/r"));
            // Without resumption: a stopping node would hand a resumable session over instead,
            // and its contacts are rightly not told it left.
            XMPPTCPConnection alice = new XMPPTCPConnection(cluster.clients(a).builder()
                    .setUsernameAndPassword("alice", "alice-pw").setResource("r").build());
            alice.setUseStreamManagementResumption(false);
            alice.connect().login();
            assertThat(next(bobSees, Presence.Type.available, Duration.ofSeconds(5))).isNotNull();

            long stopping = System.nanoTime();
            a.close();
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);

            assertThat(slow.storeAfterTheWait.poll(5, TimeUnit.SECONDS))
                    .as("the slow ending's store read, after its wait").isEqualTo("ok");
            assertThat(next(bobSees, Presence.Type.unavailable, Duration.ofSeconds(5)))
                    .as("bob, on the other node, hears alice left").isNotNull();
            assertThat(took).as("the stop waited for the session's end").isGreaterThanOrEqualTo(SLOW_END.toMillis());
            List<String> storeErrors = new ArrayList<>();
            for (ILoggingEvent e : logged.list) {
                String text = e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
                if (e.getLevel().isGreaterOrEqual(Level.WARN) && (text.contains("has been closed")
                        || text.contains("session listener failed") || text.contains("StoreException"))) {
                    storeErrors.add(e.getLevel() + " " + text);
                }
            }
            assertThat(storeErrors).as("errors of a store closed under a session's ending").isEmpty();
            alice.disconnect();
        } finally {
            parley.detachAppender(logged);
        }
    }

    private static Presence next(BlockingQueue<Presence> q, Presence.Type type, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Presence p;
        while ((p = q.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
            if (p.getType() == type) {
                return p;
            }
        }
        return null;
    }

    /** A feature whose work at the end of alice's session takes {@link #SLOW_END} and then reads the store. */
    static final class SlowGoodbye implements Module, SessionListener {
        final BlockingQueue<String> storeAfterTheWait = new LinkedBlockingQueue<>();
        private Stores stores;

        @Override
        public String name() {
            return "slow-goodbye";
        }

        @Override
        public void start(ModuleContext ctx) {
            stores = ctx.stores();
            ctx.listener(this);
        }

        @Override
        public void closed(Session session) {
            if (!"alice".equals(session.jid().local())) {
                return;
            }
            try {
                Thread.sleep(SLOW_END.toMillis());
                stores.roster().items("alice");
                storeAfterTheWait.add("ok");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                storeAfterTheWait.add("interrupted");
            } catch (RuntimeException e) {
                storeAfterTheWait.add(e.toString());
            }
        }
    }
}
