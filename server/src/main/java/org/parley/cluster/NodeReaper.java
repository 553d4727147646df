package org.parley.cluster;

import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after a dead node, once, on one survivor. Every node looks through the member set
 * ({@code <prefix>nodes}) about once a second; a member whose liveness key is gone is claimed
 * with {@code SET <prefix>reap:<node> NX PX <ttl>}, so exactly one node does the work (another
 * takes over if that one dies too, when the claim expires). The claimant deletes the dead
 * node's directory entries one by one (compare-and-delete, so a restarted node's new entries
 * stay) and hands each entry it deleted to {@code gone}, which ends the session as if it had
 * closed here: contacts are told it is unavailable. Then the node leaves the member set, unless
 * it came back meanwhile.
 */
final class NodeReaper {
    private static final Logger log = LoggerFactory.getLogger(NodeReaper.class);
    /** Stanzas a node took in this long before its last liveness renewal may still have been on their way when it died. */
    static final Duration IN_DOUBT_MARGIN = Duration.ofSeconds(2);
    /**
     * Sessions ended together: their listeners run for the chunk at once, so the logouts they
     * record share a transaction (one each before). Small enough that the first contacts hear
     * of a death little later than they did.
     */
    static final int CHUNK = 200;

    private final String self;
    private final RedisLink redis;
    private final ClusterKeys keys;
    private final DirectoryTable table;
    private final NodeLiveness liveness;
    /** Ends sessions of a dead node here, a chunk at a time. */
    private final Consumer<List<RemoteSession>> gone;
    private final ClusterDirectory directory;
    private final ExecutorService worker;
    private final AtomicBoolean sweeping = new AtomicBoolean();

    NodeReaper(String self, RedisLink redis, ClusterKeys keys, DirectoryTable table, NodeLiveness liveness,
               ClusterDirectory directory, ExecutorService worker, Consumer<List<RemoteSession>> gone) {
        this.self = self;
        this.redis = redis;
        this.keys = keys;
        this.table = table;
        this.liveness = liveness;
        this.directory = directory;
        this.worker = worker;
        this.gone = gone;
    }

    /** How often to look for dead nodes: a second, or a third of the TTL if that is shorter. */
    static Duration interval(Duration ttl) {
        Duration third = ttl.dividedBy(3);
        return third.compareTo(Duration.ofSeconds(1)) < 0 ? third : Duration.ofSeconds(1);
    }

    /** Starts a sweep on the worker unless one is running; the sweep's listeners may block. */
    void sweepSoon() {
        if (!redis.isUp() || !sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.execute(() -> {
                try {
                    sweep();
                } finally {
                    sweeping.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            sweeping.set(false); // stopping
        }
    }

    private void sweep() {
        try {
            for (java.util.Map.Entry<String, String> member : redis.sync().hgetall(keys.members()).entrySet()) {
                String node = member.getKey();
                if (node.equals(self) || liveness.isAliveNow(node)) {
                    continue;
                }
                String claimed = redis.sync().set(keys.reaper(node), self,
                        SetArgs.Builder.nx().px(liveness.ttl().toMillis()));
                if ("OK".equals(claimed)) {
                    reap(node, parseMillis(member.getValue()));
                }
            }
        } catch (RedisException e) {
            redis.failed(e);
        } catch (RuntimeException e) {
            log.error("cluster: cleaning up after a dead node failed", e);
        }
    }

    private static Long parseMillis(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return null; // unknown
        }
    }

    /**
     * When stanzas for a session of a node that last renewed its liveness at {@code lastRenewal}
     * may not have reached the client: the node died after that renewal, and what it took in a
     * little earlier may still have been on its way ({@link #IN_DOUBT_MARGIN}).
     */
    static Long inDoubtSince(Long lastRenewal) {
        if (lastRenewal == null) {
            return null;
        }
        return lastRenewal - IN_DOUBT_MARGIN.toMillis();
    }

    /**
     * The same for a session whose client had not confirmed stanzas queued since {@code cursor}
     * (null: it had confirmed everything): the earlier of the two, less the margin, for what was
     * still on its way to the node ({@link DeliveryCursors}). {@code sinceRenewal} is
     * {@link #inDoubtSince(Long)}'s answer.
     */
    static Long inDoubtSince(Long sinceRenewal, Long cursor) {
        if (sinceRenewal == null || cursor == null) {
            return sinceRenewal;
        }
        return Math.min(sinceRenewal, cursor - IN_DOUBT_MARGIN.toMillis());
    }

    private void reap(String node, Long lastRenewal) {
        long[] count = {0};
        List<RemoteSession> chunk = new ArrayList<>();
        Long since = inDoubtSince(lastRenewal);
        long now = System.currentTimeMillis();
        boolean[] waiting = {false};
        table.prune(node, (full, entry) -> {
            // A session it handed over at a clean stop waits for its client until its window closes.
            boolean keep = entry.awaitsResumption(now);
            waiting[0] |= keep;
            return keep;
        }, (full, entry) -> {
            count[0]++;
            chunk.add(directory.ended(full, entry, entry.released() ? null : since));
            if (chunk.size() >= CHUNK) {
                endHere(chunk);
                chunk.clear();
            }
        });
        endHere(chunk);
        if (waiting[0]) {
            // Looked at again once this claim expires; the node stays a member until then.
            log.info("cluster: node {} is gone; ended {} session(s), others wait to be resumed", node, count[0]);
            return;
        }
        table.forgetMember(node);
        log.info("cluster: node {} is dead; removed its {} session(s) and told their contacts", node, count[0]);
    }

    /** Entries this node removed of its own previous life (after a restart or an outage): end them the same way. */
    void endAll(List<RemoteSession> sessions) {
        if (sessions.isEmpty()) {
            return;
        }
        try {
            worker.execute(() -> {
                for (int i = 0; i < sessions.size(); i += CHUNK) {
                    endHere(sessions.subList(i, Math.min(sessions.size(), i + CHUNK)));
                }
            });
        } catch (RejectedExecutionException e) {
            // stopping: the contacts hear of it from the reaper of this node
        }
    }

    private void endHere(List<RemoteSession> sessions) {
        if (sessions.isEmpty()) {
            return;
        }
        try {
            gone.accept(List.copyOf(sessions));
        } catch (RuntimeException e) {
            log.error("cluster: ending {} session(s) of a dead node failed", sessions.size(), e);
        }
    }
}
