package org.parley.feature.push;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.route.Router;
import org.parley.session.SerialExecutor;
import org.parley.store.StoreException;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the notifications of one server. Each user's work runs on one of a fixed set of serial
 * executors (picked by user), off the routing path: the registrations are read from the store
 * there, and the throttle state of that user's registrations is only touched there, so it needs
 * no lock.
 *
 * <p>Throttle: at most one publish per registration per {@code push.minInterval}. Messages in
 * between are coalesced into the next publish, whose message-count says how many it stands for
 * and whose sender and body are the last one's. The state lives on the node that saw the
 * messages; in a cluster, two nodes may each publish within one interval.
 *
 * <p>Messages missed while a user's notice waits for its stripe are coalesced already there
 * ({@link #waiting}): a user has at most one notice queued, however many messages it stands for.
 * A task per message held each message's body until its turn and read the registrations once per
 * message, so a flood to an offline user (every message missed) queued its bodies faster than the
 * reads drained them: memory grew with the flood, not with the users.
 */
final class PushNotifier {
    private static final Logger log = LoggerFactory.getLogger(PushNotifier.class);
    private static final int STRIPES = 64;
    /** Ids of the publishes: prefix, sequence, then a digest of the node to find the registration again. */
    static final String ID_PREFIX = "push-";

    /** The throttle state of one registration; touched only on its user's stripe. */
    private static final class Pending {
        PushRegistration registration;
        long lastSent = Long.MIN_VALUE;
        int count;
        String sender;
        String body;
        boolean timerSet;
    }

    private record Key(String user, String jid, String node) {
    }

    /** What a user's queued notice stands for so far: the messages missed and the last one's sender and body. */
    private record Missed(int count, Jid sender, String body) {
        Missed and(int more, Jid lastSender, String lastBody) {
            return new Missed(count + more, lastSender, lastBody);
        }
    }

    private final Map<Key, Pending> pending = new HashMap<>(); // guarded by stripes: one key, one stripe
    /** Users with a notice queued on their stripe and not yet started, and what it stands for. */
    private final ConcurrentHashMap<String, Missed> waiting = new ConcurrentHashMap<>();
    private final SerialExecutor[] stripes = new SerialExecutor[STRIPES];
    private final PushStore store;
    private final Router router;
    private final Jid serverJid;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final long minIntervalMs;
    private final boolean includeBody;
    private final AtomicLong sequence = new AtomicLong();

    PushNotifier(PushStore store, Router router, Jid serverJid, Executor executor, ScheduledExecutorService scheduler,
                 Clock clock, Duration minInterval, boolean includeBody) {
        this.store = store;
        this.router = router;
        this.serverJid = serverJid;
        this.scheduler = scheduler;
        this.clock = clock;
        this.minIntervalMs = minInterval.toMillis();
        this.includeBody = includeBody;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new SerialExecutor(executor);
        }
    }

    /** Runs {@code task} on the user's stripe, after what is queued there for that user. */
    void onStripe(String user, Runnable task) {
        stripes[Math.floorMod(user.hashCode(), STRIPES)].execute(task);
    }

    /** A message the user will not see now: notify every registration (on the user's stripe). */
    void messageMissed(String user, Jid sender, String body) {
        messagesMissed(user, 1, sender, body);
    }

    /** {@code count} messages the user will not see now, {@code sender} and {@code body} the last one's. */
    void messagesMissed(String user, int count, Jid sender, String body) {
        boolean[] queued = {true};
        waiting.compute(user, (u, old) -> {
            if (old == null) {
                queued[0] = false;
                return new Missed(count, sender, body);
            }
            return old.and(count, sender, body);
        });
        if (!queued[0]) {
            onStripe(user, () -> {
                // Taken as the task starts: what is missed from now on queues the next notice.
                Missed m = waiting.remove(user);
                if (m != null) {
                    announce(user, m);
                }
            });
        }
    }

    /** Publishes (or coalesces into the next publish of) each of the user's registrations; on the user's stripe. */
    private void announce(String user, Missed missed) {
        List<PushRegistration> registrations;
        try {
            registrations = store.list(user);
        } catch (StoreException e) {
            log.warn("push: cannot read the registrations of {}: {}", user, e.getMessage());
            return;
        }
        for (PushRegistration r : registrations) {
            Key key = new Key(user, r.jid(), r.node());
            Pending p;
            synchronized (pending) {
                p = pending.computeIfAbsent(key, k -> new Pending());
            }
            p.registration = r;
            p.count += missed.count();
            p.sender = missed.sender() == null ? null : missed.sender().toString();
            p.body = missed.body();
            if (!p.timerSet) {
                long due = p.lastSent == Long.MIN_VALUE ? 0 : p.lastSent + minIntervalMs - clock.millis();
                if (due <= 0) {
                    send(key, p);
                } else {
                    later(key, due);
                }
            }
        }
    }

    /** The registration was disabled: forget its throttle state. */
    void forget(String user, String jid, String node) {
        onStripe(user, () -> {
            synchronized (pending) {
                pending.keySet().removeIf(k -> k.user().equals(user) && k.jid().equals(jid)
                        && (node == null || k.node().equals(node)));
            }
        });
    }

    private void later(Key key, long delayMs) {
        Pending p = get(key);
        if (p == null) {
            return;
        }
        p.timerSet = true;
        try {
            scheduler.schedule(() -> onStripe(key.user(), () -> due(key)), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            p.timerSet = false; // stopping
        }
    }

    /** The interval after a publish ended: send what was coalesced, or drop the idle state. */
    private void due(Key key) {
        Pending p = get(key);
        if (p == null) {
            return;
        }
        p.timerSet = false;
        if (p.count > 0) {
            send(key, p);
        } else {
            synchronized (pending) {
                pending.remove(key);
            }
        }
    }

    private Pending get(Key key) {
        synchronized (pending) {
            return pending.get(key);
        }
    }

    private void send(Key key, Pending p) {
        PushRegistration r = p.registration;
        Element options = r.publishOptionsXml() == null ? null : XmlStrings.parse(r.publishOptionsXml());
        PushElements.Summary summary = new PushElements.Summary(p.count, p.sender, includeBody ? p.body : null);
        Jid appServer = Jid.parseOrNull(r.jid());
        p.count = 0;
        p.sender = null;
        p.body = null;
        p.lastSent = clock.millis();
        if (appServer == null) {
            return;
        }
        String id = ID_PREFIX + sequence.incrementAndGet() + "-" + nodeDigest(r.node());
        // XEP-0357 §5: the user's server publishes on the user's behalf, from the account's bare JID.
        Jid from = Jid.of(key.user(), serverJid.domain(), null);
        router.route(Stanza.iq(from, appServer, "set", id, PushElements.publish(r.node(), summary, options)));
        // Keep the state until the interval has passed, so the next message waits for it.
        later(key, Math.max(minIntervalMs, 1));
    }

    /** A short digest of a node, carried in the publish id so an error reply names its registration. */
    static String nodeDigest(String node) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(node.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The node digest of a publish id, or null when the id is not one of ours. */
    static String digestOf(String id) {
        if (id == null || !id.startsWith(ID_PREFIX)) {
            return null;
        }
        int dash = id.lastIndexOf('-');
        return dash <= ID_PREFIX.length() - 1 ? null : id.substring(dash + 1);
    }
}
