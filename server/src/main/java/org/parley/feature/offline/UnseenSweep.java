package org.parley.feature.offline;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.parley.route.Directory;
import org.parley.session.Session;
import org.parley.store.StoreException;
import org.parley.xmpp.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In a cluster: messages a node stored offline for a user it could not see (Redis unreachable, or
 * the user's node counted absent) are marked, since the user may have been online on another
 * node all along. The node that stored them hands them over when it sees that node again (its
 * restore pass), unless it died first, or the store landed just after that node's own pass.
 * So every node looks, every {@link OfflineModule#UNSEEN_RECHECK}, for marked messages of users
 * available on it and delivers them; a user found offline everywhere keeps the messages for the
 * next login, and loses the marks once they are older than {@link #CLEAR_AFTER} (younger ones
 * may have been marked by a node that sees the user's node no more than this one saw it before).
 * One query on a partial index when nothing is marked.
 */
final class UnseenSweep {
    private static final Logger log = LoggerFactory.getLogger(UnseenSweep.class);
    /** Owners looked at per round: the rest wait for the next. */
    private static final int OWNERS = 500;
    static final Duration CLEAR_AFTER = Duration.ofSeconds(30);

    private final OfflineStore store;
    private final Directory directory;
    private final String domain;
    private final Clock clock;
    /** Delivers what is stored for the user of a local session to it, under the user's lock. */
    private final Consumer<Session> flush;
    private final AtomicBoolean running = new AtomicBoolean();

    UnseenSweep(OfflineStore store, Directory directory, String domain, Clock clock, Consumer<Session> flush) {
        this.store = store;
        this.directory = directory;
        this.domain = domain;
        this.clock = clock;
        this.flush = flush;
    }

    /** From the scheduler: the round runs on a virtual thread of its own (a flush waits for its client). */
    void soon() {
        if (running.compareAndSet(false, true)) {
            Thread.ofVirtual().name("parley-offline-unseen").start(() -> {
                try {
                    round();
                } finally {
                    running.set(false);
                }
            });
        }
    }

    void round() {
        try {
            for (String owner : store.unseenOwners(OWNERS)) {
                Jid bare = Jid.of(owner, domain, null);
                Session here = null;
                boolean anywhere = false;
                for (Session s : directory.sessions(bare)) {
                    if (s.isAvailable() && s.priority() >= 0 && !s.isLeaving()) {
                        anywhere = true;
                        if (s.isLocal()) {
                            here = s;
                            break;
                        }
                    }
                }
                if (here != null) {
                    flush.accept(here); // delivered rows go, marked or not
                } else if (!anywhere && !directory.mayBeUnseen(bare)) {
                    store.clearUnseen(owner, clock.millis() - CLEAR_AFTER.toMillis());
                }
            }
        } catch (StoreException e) {
            log.warn("offline messages stored for unseen users not looked at: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.error("offline messages stored for unseen users not looked at", e);
        }
    }
}
