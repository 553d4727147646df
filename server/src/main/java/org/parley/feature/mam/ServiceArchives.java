package org.parley.feature.mam;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.parley.route.IqRequest;
import org.parley.store.StoreException;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archives of entities a service hosts at its own domain, such as group chat rooms (XEP-0313
 * §3.3.2, MUC archives): one archive per entity, kept under its bare JID in the same store, with
 * the same time-ordered XEP-0359 ids, group-commit writer, retention and queries (XEP-0059 pages,
 * XEP-0431 full-text search) as the users' archives. The service decides who may read an archive
 * and what of each message they see; this class only keeps and reads.
 *
 * <p>Made by {@link MamModule}; usable once it started with the archive enabled
 * ({@link #enabled()}), before that (and with {@code archive.enabled: false}) nothing is kept.
 */
public final class ServiceArchives {
    private static final Logger log = LoggerFactory.getLogger(ServiceArchives.class);

    /**
     * One archived message.
     *
     * @param id      its XEP-0359 stanza-id
     * @param message the message as the service archived it
     */
    public record Archived(String id, Instant at, Element message) {
    }

    /** What a group's archive does not keep (see {@link #worthKeeping}). */
    private static final Set<String> GROUP_IGNORED = Set.of("urn:xmpp:receipts", "urn:xmpp:chat-markers:0");

    private ArchiveStore store;
    private ArchiveWriter writer;
    private MamQueries queries;
    private Duration flushTimeout;

    ServiceArchives() {
    }

    void start(ArchiveStore archiveStore, ArchiveWriter archiveWriter, MamQueries mamQueries, Duration timeout) {
        this.store = archiveStore;
        this.writer = archiveWriter;
        this.queries = mamQueries;
        this.flushTimeout = timeout;
    }

    public boolean enabled() {
        return writer != null;
    }

    /** The features an entity with an archive announces in its disco#info, beside XEP-0359's. */
    public static List<String> features() {
        return List.of(MamElements.NAMESPACE, MamElements.EXTENDED, MamElements.FULLTEXT);
    }

    /** The namespace of queries (XEP-0313), for the service's IQ handlers. */
    public static String namespace() {
        return MamElements.NAMESPACE;
    }

    /**
     * Whether a group's message is worth keeping: text, or what clients rebuild a conversation
     * from (corrections, retractions, reactions, encrypted messages), not one marked no-store
     * (XEP-0334). Receipts and read markers are not: in a group they would crowd the history out.
     */
    public static boolean worthKeeping(Element message) {
        return ArchivePolicy.worthKeeping(message, GROUP_IGNORED);
    }


    /**
     * Queues {@code message} for {@code owner}'s archive, never waiting for the disk (see
     * {@link ArchiveWriter}); its 'from' is {@code from}, whose resource is what a query 'with'
     * {@code owner/resource} matches.
     *
     * @return the message's id, in order with every id this archive gave before
     */
    public String append(Jid owner, Jid from, Element message) {
        String key = owner.bare().toString();
        String xml = message.toXml();
        String body = message.childText("body", message.namespace());
        long id = writer.submit(n -> new ArchiveRecord(n, null, key, key, from.resource(), key, null, body, xml));
        return ArchiveIds.format(id);
    }

    /**
     * Completes once every message appended before this call is durable (its group commit, which
     * this asks for now rather than after the writer's batching delay), for a service that must not
     * confirm a message another node could not find after a crash. Completes exceptionally with a
     * {@link StoreException} when that takes longer than the archive's flush timeout or the
     * writer stopped without writing it. Never blocks.
     */
    public CompletableFuture<Void> durable() {
        return writer.writtenSoon().copy() // a copy: the writer shares one barrier among its waiters
                .orTimeout(flushTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(failure(e)));
    }

    /** What {@link #durable} failed with, as the store failure it is. */
    public static StoreException failure(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof StoreException s) {
            return s;
        }
        return new StoreException(cause instanceof TimeoutException ? "the archive did not write the message in time"
                : "the archive could not write the message", cause);
    }

    /** The time an id of this archive was given. */
    public static Instant time(String id) {
        long n = ArchiveIds.parse(id);
        return n < 0 ? null : ArchiveIds.time(n);
    }

    /** The newest {@code max} messages of {@code owner}'s archive, oldest first. */
    public List<Archived> latest(Jid owner, int max) {
        if (max == 0) {
            return List.of();
        }
        writer.flush(flushTimeout);
        List<ArchiveRecord> rows = store.query(new ArchiveQuery(owner.bare().toString(), Long.MIN_VALUE,
                Long.MAX_VALUE, null, null, null, max, true));
        List<Archived> out = new ArrayList<>(rows.size());
        for (ArchiveRecord r : rows) {
            out.add(archived(r));
        }
        Collections.reverse(out);
        return out;
    }

    /** The message {@code id} of {@code owner}'s archive, if it holds it. */
    public Optional<Archived> find(Jid owner, String id) {
        long n = ArchiveIds.parse(id);
        if (n < 0) {
            return Optional.empty();
        }
        writer.flush(flushTimeout);
        List<ArchiveRecord> rows = store.query(new ArchiveQuery(owner.bare().toString(), n - 1, n + 1, null, null,
                null, 1, false));
        return rows.isEmpty() ? Optional.empty() : Optional.of(archived(rows.get(0)));
    }

    /** Replaces message {@code id} of {@code owner}'s archive (a tombstone); false when it holds no such message. */
    public boolean replace(Jid owner, String id, Element message) {
        long n = ArchiveIds.parse(id);
        if (n < 0) {
            return false;
        }
        writer.flush(flushTimeout);
        return store.replace(owner.bare().toString(), n, message.toXml());
    }

    /**
     * Deletes {@code owner}'s archive as it is now, also what is still queued for it (the entity
     * is gone), off the caller's thread: what a new entity of the same JID archives from now on
     * stays.
     */
    public void delete(Jid owner) {
        long lastId = writer.mark();
        String key = owner.bare().toString();
        Thread.ofVirtual().name("parley-archive-delete").start(() -> {
            try {
                writer.flush(flushTimeout);
                store.deleteOwner(key, lastId);
            } catch (RuntimeException e) {
                log.warn("the archive of {} could not be deleted: {}", key, e.getMessage());
            }
        });
    }

    /** XEP-0313 §5: the query form. */
    public Element form() {
        return MamElements.queryForm();
    }

    /**
     * Answers a MAM query of {@code owner}'s archive: the results from {@code owner}, each message
     * as {@code shown} makes it, none up to {@code floor} (an id of {@link #mark}, or null). The
     * service checked that the requester may read the archive.
     */
    public Element query(IqRequest r, Jid owner, UnaryOperator<Element> shown, String floor) {
        Jid archive = owner.bare();
        return queries.query(r, archive.toString(), archive, shown, floor == null ? Long.MIN_VALUE : Long.parseLong(floor));
    }

    /**
     * An id above every message archived so far: a new entity's archive starts above it, so that
     * what an earlier entity of the same JID left (while it is being deleted) never shows.
     */
    public String mark() {
        return ArchiveIds.format(writer.mark());
    }

    private static Archived archived(ArchiveRecord r) {
        return new Archived(ArchiveIds.format(r.id()), ArchiveIds.time(r.id()),
                XmlStrings.parse(r.stanza()).withNamespace(Namespaces.CLIENT));
    }
}
