package org.parley.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.route.Directory;
import org.parley.route.LocalDirectory;
import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.xmpp.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory of a cluster node: its own sessions in a {@link LocalDirectory}, everyone's in
 * Redis ({@link DirectoryTable}). Lookups return local sessions plus {@link RemoteSession}s for
 * the entries of live other nodes; remote entries are cached per user until the directory
 * channel says the user changed. While Redis is down every lookup is local-only.
 */
public final class ClusterDirectory implements Directory {
    private static final Logger log = LoggerFactory.getLogger(ClusterDirectory.class);
    /** The id of a local session's directory entry, so the node only touches entries it wrote. */
    static final SessionKey<String> SID = new SessionKey<>("cluster.sid");
    /** Set once a local session shared state ({@link #share}), so its unbind deletes it. */
    private static final SessionKey<Boolean> SHARED = new SessionKey<>("cluster.shared");

    private final String self;
    private final DirectoryTable table;
    private final NodeLiveness liveness;
    private final NodeBus bus;
    private final RedisLink redis;
    private final DeliveryCursors cursors;
    private final LocalDirectory local = new LocalDirectory();
    /** Starts the session id of every entry this process writes, to tell them from a previous life's. */
    private final String lifePrefix = Long.toString(ProcessHandle.current().pid(), 36) + "."
            + Long.toString(System.nanoTime() & 0xffffff, 36) + ".";
    private final Cache<Jid, List<RemoteSession>> remote;
    /** Bumped on every invalidation: a lookup that raced one does not cache what it read. */
    private final AtomicLong invalidations = new AtomicLong();

    ClusterDirectory(String self, DirectoryTable table, NodeLiveness liveness, NodeBus bus, RedisLink redis,
                     DeliveryCursors cursors, Duration cacheSafetyNet) {
        this.self = self;
        this.cursors = cursors;
        this.table = table;
        this.liveness = liveness;
        this.bus = bus;
        this.redis = redis;
        this.remote = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(cacheSafetyNet).build();
    }

    @Override
    public Session session(Jid full) {
        Session s = local.session(full);
        if (s != null) {
            return s;
        }
        for (Session r : remoteSessions(full.bare())) {
            if (r.jid().equals(full)) {
                return r;
            }
        }
        return null;
    }

    @Override
    public List<Session> sessions(Jid bare) {
        List<Session> mine = local.sessions(bare);
        List<RemoteSession> others = remoteSessions(bare);
        if (others.isEmpty()) {
            return mine;
        }
        List<Session> all = new ArrayList<>(mine.size() + others.size());
        all.addAll(mine);
        all.addAll(others);
        return all;
    }

    /** The sessions of live other nodes; empty while Redis is down. */
    private List<RemoteSession> remoteSessions(Jid bare) {
        if (!redis.isUp()) {
            return List.of();
        }
        try {
            List<RemoteSession> cached = remote.getIfPresent(bare);
            if (cached == null) {
                long before = invalidations.get();
                cached = load(bare);
                if (invalidations.get() == before) {
                    remote.put(bare, cached);
                }
            }
            List<RemoteSession> live = new ArrayList<>(cached.size());
            for (RemoteSession r : cached) {
                // A dead node's entry is ignored here and removed by the NodeReaper, which tells the
                // contacts. Not here: a node that missed one PUBLISH counts as dead for a second
                // without being dead, and deleting its entries made its users unreachable until
                // they logged in again.
                if (liveness.isAlive(r.node())) {
                    live.add(r);
                }
            }
            return live;
        } catch (RedisException e) {
            redis.failed(e);
            return List.of();
        }
    }

    @Override
    public void refresh(Jid bare) {
        invalidations.incrementAndGet();
        remote.invalidate(bare);
    }

    @Override
    public boolean mayBeUnseen(Jid bare) {
        if (!redis.isUp()) {
            return true;
        }
        try {
            List<RemoteSession> cached = remote.getIfPresent(bare);
            for (RemoteSession r : cached != null ? cached : load(bare)) {
                if (!liveness.isAlive(r.node())) {
                    return true;
                }
            }
            return false;
        } catch (RedisException e) {
            redis.failed(e);
            return true;
        }
    }

    private List<RemoteSession> load(Jid bare) {
        List<RemoteSession> out = new ArrayList<>();
        for (Map.Entry<String, String> e : table.entries(bare).entrySet()) {
            DirectoryEntry entry = DirectoryTable.parseOrNull(e.getValue());
            Jid full = bare.withResource(e.getKey());
            if (entry == null) {
                log.warn("cluster: ignoring a malformed directory entry for {}", full);
            } else if (entry.released()) {
                continue; // its node stopped: the session waits for its client to resume it somewhere
            } else if (!entry.node().equals(self)) {
                out.add(new RemoteSession(full, entry, bus));
            } else if (!isLocal(full, entry)) {
                table.remove(full, entry); // this node's entry from a previous life
            }
        }
        return out;
    }

    private boolean isLocal(Jid full, DirectoryEntry entry) {
        Session s = local.session(full);
        return s != null && entry.sid().equals(s.get(SID));
    }

    /**
     * Binds locally, then in Redis. When another live node held the same full JID, returns a
     * {@link RemoteSession} for it: the caller closes it with {@code conflict}, so the newest
     * session wins across nodes as it does on one (RFC 6120 §7.7.2.2).
     */
    @Override
    public Session bind(Session session) {
        session.put(SID, lifePrefix + UUID.randomUUID());
        Session replaced = local.bind(session);
        if (!redis.isUp()) {
            return replaced; // published when Redis returns
        }
        try {
            DirectoryEntry old = table.bind(session.jid(), entryOf(session));
            if (replaced == null && old != null && !old.node().equals(self)) {
                if (old.released() || !holds(old.node())) {
                    // A session its node handed over, or of a dead node not cleaned up yet: this
                    // binding took its entry, so it ends here (its contacts are told, what was on
                    // its way to it is handed over again), as the clean-up would have ended it.
                    return ended(session.jid(), old, old.released() ? null
                            : NodeReaper.inDoubtSince(table.lastRenewal(old.node())));
                }
                return new RemoteSession(session.jid(), old, bus);
            }
        } catch (RedisException e) {
            redis.failed(e);
        }
        return replaced;
    }

    @Override
    public boolean unbind(Session session) {
        if (!local.unbind(session)) {
            return false;
        }
        String sid = session.get(SID);
        if (sid != null) {
            cursors.ended(sid);
        }
        if (redis.isUp()) {
            try {
                DirectoryEntry entry = entryOf(session);
                table.remove(session.jid(), entry);
                if (session.get(SHARED) != null) {
                    table.forgetShared(entry);
                }
            } catch (RedisException e) {
                redis.failed(e); // the entry is pruned when Redis returns
            }
        }
        return true;
    }

    @Override
    public void presenceChanged(Session session) {
        if (!session.isLocal() || !redis.isUp() || session.get(SID) == null) {
            return;
        }
        try {
            table.update(session.jid(), entryOf(session));
        } catch (RedisException e) {
            redis.failed(e);
        }
    }

    @Override
    public void share(Session session, String name, String value) {
        String sid = session.get(SID);
        if (!session.isLocal() || sid == null || !redis.isUp()) {
            return;
        }
        try {
            table.share(self, sid, name, value);
            session.put(SHARED, Boolean.TRUE);
        } catch (RedisException e) {
            redis.failed(e);
        }
    }

    @Override
    public void deliveryCursor(Session session, java.time.Instant oldest) {
        String sid = session.get(SID);
        if (!session.isLocal() || sid == null) {
            return;
        }
        cursors.set(sid, oldest);
        if (local.session(session.jid()) != session) {
            cursors.ended(sid); // it was unbound meanwhile (its unbind may have run before the set)
        }
    }

    @Override
    public java.util.concurrent.CompletionStage<?> log(Session session, long seq, String entry) {
        String sid = session.get(SID);
        if (!session.isLocal() || sid == null || !redis.isUp()) {
            return null;
        }
        try {
            session.put(SHARED, Boolean.TRUE);
            return table.log(self, sid, seq, entry);
        } catch (RedisException e) {
            redis.failed(e);
            return null;
        }
    }

    @Override
    public void unlog(Session session, long seq) {
        String sid = session.get(SID);
        if (!session.isLocal() || sid == null || !redis.isUp()) {
            return;
        }
        try {
            table.unlog(self, sid, seq);
        } catch (RedisException e) {
            redis.failed(e);
        }
    }

    /**
     * Whether another node can still hold its sessions: its liveness key exists and its bus has a
     * subscriber (a killed process's connections close at once; its key lives on until its TTL).
     */
    private boolean holds(String node) {
        return liveness.isAliveNow(node) && table.listening(node);
    }

    /**
     * Takes over the entry of a session a client resumes here: only from a node that cannot hold
     * it any more (its liveness key is gone, or its bus has no subscriber since its process died,
     * or it released the session at a clean stop), in one script against the node's clean-up.
     */
    @Override
    public Session adopt(Jid full, Predicate<Session> mine) {
        if (!redis.isUp() || local.session(full) != null) {
            return null;
        }
        try {
            String raw = table.entry(full);
            DirectoryEntry entry = raw == null ? null : DirectoryTable.parseOrNull(raw);
            if (entry == null || entry.node().equals(self)) {
                return null;
            }
            boolean released = entry.released();
            if (released ? !entry.awaitsResumption(System.currentTimeMillis()) : holds(entry.node())) {
                return null; // its node holds it (the client resumes there), or its window closed
            }
            Long since = released ? null : inDoubtSince(entry, NodeReaper.inDoubtSince(table.lastRenewal(entry.node())));
            if (!mine.test(new RemoteSession(full, entry, bus, table.shared(entry)))) {
                return null;
            }
            DirectoryTable.Adopted got = table.adopt(full, entry);
            if (got == null) {
                return null; // the clean-up after its node, or another resumption, came first
            }
            Map<String, String> shared = new java.util.HashMap<>(got.shared());
            if (since != null) {
                shared.put(Session.IN_DOUBT_SINCE, Long.toString(since));
            }
            return new RemoteSession(full, entry, bus, shared, got.log());
        } catch (RedisException e) {
            redis.failed(e);
            return null;
        }
    }

    @Override
    public java.util.concurrent.CompletionStage<Void> handedOver() {
        return bus.handedOver();
    }

    @Override
    public int size() {
        return local.size();
    }

    @Override
    public List<Session> all() {
        return local.all();
    }

    /** The session of this node bound to {@code full}, never a remote one. */
    Session localSession(Jid full) {
        return local.session(full);
    }

    /**
     * Takes a local session out of the table because a newer one bound on another node (the
     * bus's close command names it by session id, so a session bound since is left alone).
     * Returns it for the caller to end, or null when it is gone or not the one meant.
     */
    Session takeReplaced(Jid full, String sid) {
        Session s = local.session(full);
        if (s != null && sid.equals(s.get(SID)) && local.unbind(s)) {
            if (s.get(SHARED) != null && redis.isUp()) {
                try {
                    table.forgetShared(entryOf(s));
                } catch (RedisException e) {
                    redis.failed(e);
                }
            }
            return s;
        }
        return null;
    }

    /** A user's entries changed on some node (directory channel, on a Lettuce thread). */
    void invalidate(String bare) {
        invalidations.incrementAndGet();
        Jid jid = Jid.parseOrNull(bare);
        if (jid != null) {
            remote.invalidate(jid);
        }
    }

    /** Invalidations may have been missed (a connection dropped): forget every cached entry. */
    void invalidateAll() {
        invalidations.incrementAndGet();
        remote.invalidateAll();
    }

    /**
     * After start or an outage: deletes this node's entries that no local session backs (a
     * previous life's, or sessions that ended during the outage: returned, so their contacts can
     * be told, since what this node told them meanwhile reached only its own sessions), then
     * writes every local session again. A session another live node took over meanwhile is
     * newer, so the local one ends with {@code conflict}. Throws {@link RedisException}.
     */
    List<RemoteSession> republish(Long previousRenewal) {
        List<RemoteSession> ended = new ArrayList<>();
        // Entries of a previous life: that life ended after its last renewal. Entries of sessions
        // that ended during an outage: their listeners ran here, nothing is in doubt.
        Long since = previousRenewal == null ? null : NodeReaper.inDoubtSince(previousRenewal);
        long now = System.currentTimeMillis();
        table.prune(self, (full, entry) -> isLocal(full, entry) || entry.awaitsResumption(now),
                (full, entry) -> ended.add(ended(full, entry,
                        entry.sid().startsWith(lifePrefix) || entry.released() ? null : since)));
        for (Session s : local.all()) {
            DirectoryEntry old = table.bind(s.jid(), entryOf(s));
            if (old != null && !old.node().equals(self) && liveness.isAlive(old.node())) {
                table.bind(s.jid(), old);
                if (local.unbind(s)) {
                    s.close(org.parley.xmpp.StreamError.of(org.parley.xmpp.StreamError.Condition.CONFLICT,
                            "replaced by a new connection"));
                }
            }
        }
        invalidateAll();
        return ended;
    }

    /** A removed entry as a session to end here, with what it shared (which is then deleted). */
    /** {@code inDoubtSince}: see {@link Session#IN_DOUBT_SINCE}; null when nothing is (or is known to be) in doubt. */
    RemoteSession ended(Jid full, DirectoryEntry entry, Long inDoubtSince) {
        inDoubtSince = inDoubtSince(entry, inDoubtSince);
        java.util.Map<String, String> shared = new java.util.HashMap<>(table.shared(entry));
        List<String> log = shared.isEmpty() ? List.of() : table.log(entry);
        if (!shared.isEmpty()) {
            table.forgetShared(entry);
        }
        if (inDoubtSince != null) {
            shared.put(Session.IN_DOUBT_SINCE, Long.toString(inDoubtSince));
        }
        return new RemoteSession(full, entry, bus, shared, log);
    }

    /**
     * When stanzas for a session of a node that died may not have reached its client: the earlier
     * of {@code sinceRenewal} (from its node's last liveness renewal) and its delivery cursor, less
     * the margin ({@link NodeReaper#inDoubtSince(Long, Long)}). Null stays null (nothing in doubt).
     * The cursor is dropped: the session is being ended or taken over.
     */
    private Long inDoubtSince(DirectoryEntry entry, Long sinceRenewal) {
        if (sinceRenewal == null) {
            return null;
        }
        Long cursor = cursors.of(entry.node(), entry.sid());
        if (cursor != null) {
            cursors.forget(entry.node(), entry.sid());
        }
        return NodeReaper.inDoubtSince(sinceRenewal, cursor);
    }

    /**
     * Sessions a previous life of this node handed over and nobody resumed: once their window
     * closed they are removed and returned, to be ended here (the clean-up after a stopped node
     * does it when the node stays away; this node is back). Sets whether some still wait.
     */
    List<RemoteSession> expiredHandovers(boolean[] stillWaiting) {
        long now = System.currentTimeMillis();
        List<RemoteSession> ended = new ArrayList<>();
        table.prune(self, (full, entry) -> {
            boolean keep = !entry.released() || entry.awaitsResumption(now);
            stillWaiting[0] |= entry.released() && keep;
            return keep;
        }, (full, entry) -> ended.add(ended(full, entry, null)));
        return ended;
    }

    /**
     * On a clean stop: removes whatever this node still has in the directory but the sessions it
     * handed over, which wait for their clients. Returns whether there are such.
     */
    boolean forgetSelf() {
        long now = System.currentTimeMillis();
        boolean[] kept = {false};
        table.prune(self, (full, entry) -> {
            boolean keep = entry.awaitsResumption(now);
            kept[0] |= keep;
            return keep;
        }, (full, entry) -> { });
        return kept[0];
    }

    /**
     * The first step of a clean stop: every local session's entry is marked released, so other
     * nodes stop routing to it (stanzas for its user go to other resources or offline storage)
     * while its stream stays open for what is already on its way; entries no local session backs
     * go. A session then either ends here as usual (its unbind removes the entry) or is
     * {@link #handOver handed over}.
     */
    void releaseAll() {
        for (Session s : local.all()) {
            if (s.get(SID) != null) {
                table.update(s.jid(), entryOf(s).release(0));
            }
        }
        table.prune(self, (full, entry) -> entry.released() || isLocal(full, entry), (full, entry) -> { });
    }

    /**
     * A session this stopping node hands over: its entry waits, released, until {@code untilMillis}
     * for its client to resume it on another node ({@link #adopt}), or for the clean-up after this
     * node to end it then; here it leaves the local table without being ended.
     */
    void handOver(Session session, long untilMillis) {
        if (session.get(SID) == null || !redis.isUp()) {
            return;
        }
        try {
            table.update(session.jid(), entryOf(session).release(untilMillis));
            local.unbind(session);
        } catch (RedisException e) {
            redis.failed(e); // it ends here as usual
        }
    }

    private DirectoryEntry entryOf(Session s) {
        return DirectoryEntry.of(self, s.get(SID), s.presence());
    }
}
