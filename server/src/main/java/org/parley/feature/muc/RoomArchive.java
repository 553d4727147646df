package org.parley.feature.muc;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.parley.feature.mam.ServiceArchives;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;

/**
 * A room's messages as it keeps them: its archive (XEP-0313 MUC archive, under the room's bare
 * JID, in the server's message archive) and, in front of it, the newest {@code muc.history}
 * archived messages in memory ({@link RoomHistory}), which serve the history sent on joining
 * (XEP-0045 §7.2.14). The memory is filled from the archive on first use, so a persistent room's
 * history survives a restart. Every message the room archives carries the archive's id as its
 * XEP-0359 stanza-id; with the archive off ({@code archive.enabled: false}), history lives in
 * memory alone with ids of its own. Used only under the room's lock (but {@link #failed}).
 */
final class RoomArchive {
    private final Jid room;
    private final ServiceArchives archives;
    private final RoomHistory history;
    private boolean loaded;
    /** Whether the archive may hold messages of this room: it was stored before, or archived one since. */
    private boolean archivedAny;
    /** For a new room, an id below its first message: a former room of its name is not its past. */
    private final String floor;
    /** Whether a message is durable in the archive before it is broadcast ({@link RoomServices#durableFirst}). */
    private final boolean durableFirst;
    /** Messages whose commit failed after they were kept ({@link #failed}), for the history to forget. */
    private final Queue<String> failed = new ConcurrentLinkedQueue<>();

    /**
     * @param kept   the messages of history kept in memory ({@code muc.history})
     * @param stored whether the room may have an archive from before (a persistent room loaded at start)
     * @param durableFirst whether a message kept must be durable before it is broadcast ({@link Kept#durable})
     */
    RoomArchive(Jid room, ServiceArchives archives, int kept, boolean stored, boolean durableFirst) {
        this.durableFirst = durableFirst;
        this.room = room.bare();
        this.archives = archives;
        this.history = new RoomHistory(kept);
        this.loaded = !stored;
        this.archivedAny = stored;
        this.floor = stored || !archives.enabled() ? null : archives.mark();
    }

    /** The id MAM queries of this room read above, or null. */
    String floor() {
        return floor;
    }

    /** Whether the room has an archive that MAM queries page. */
    boolean archived() {
        return archives.enabled();
    }

    /**
     * A message as the room broadcasts it, and when it may be broadcast.
     *
     * @param message the message with the room's stanza-id when it was archived
     * @param id      its stanza-id
     * @param durable completes once it is durable in the archive (fails if it cannot be made
     *                so); null when the room need not wait ({@link RoomServices#durableFirst} off)
     */
    record Kept(Element message, String id, CompletableFuture<Void> durable) {
    }

    /**
     * Keeps a message the room is about to broadcast (from the sender's occupant JID, without
     * 'to') and returns it as it is broadcast: with the room's stanza-id when it was archived.
     * Never waits for the archive: a room that must not broadcast before the message is durable
     * waits for {@link Kept#durable} outside its lock ({@link RoomOutbox}).
     *
     * @param realJid the sender's bare JID, kept with the message for those who may see it
     */
    Kept keep(Element message, Jid realJid, Instant now) {
        if (!ServiceArchives.worthKeeping(message)) {
            return new Kept(RealJids.strip(message), null, null);
        }
        loaded();
        String id;
        Instant at = now;
        CompletableFuture<Void> durable = null;
        if (archives.enabled()) {
            Jid from = Jid.of(message.attr("from"));
            id = archives.append(room, from, RealJids.strip(message).withChild(RealJids.item(realJid)));
            archivedAny = true;
            at = ServiceArchives.time(id);
            if (durableFirst) {
                durable = archives.durable(); // one group commit, asked for now; the room does not wait for it
            }
        } else {
            id = UUID.randomUUID().toString();
        }
        Element out = RealJids.strip(message).withChild(stanzaId(id));
        history.add(new RoomHistory.Entry(id, at, out));
        return new Kept(out, id, durable);
    }

    /**
     * The message {@code id} could not be made durable, so it was not broadcast: the history
     * forgets it (at the room's next use, under its lock), as it would never have held it had the
     * room waited. May be called from any thread.
     */
    void failed(String id) {
        failed.add(id);
    }

    Element stanzaId(String id) {
        return Element.builder("stanza-id", Namespaces.STANZA_ID).attr("by", room.toString()).attr("id", id).build();
    }

    /** The history a joining occupant asked for, within the room's configured length. */
    List<RoomHistory.Entry> recent(HistoryRequest request, int roomLength, Instant now) {
        loaded();
        return history.recent(request, roomLength, now);
    }

    /** The archived message {@code id} as the room broadcast it, if the archive or the history holds it. */
    Optional<Element> find(String id) {
        loaded();
        Optional<Element> recent = history.find(id);
        if (recent.isPresent() || !archives.enabled()
                || (floor != null && (!id.matches("\\d{1,18}") || Long.parseLong(id) <= Long.parseLong(floor)))) {
            return recent;
        }
        return archives.find(room, id).map(a -> RealJids.strip(a.message()).withChild(stanzaId(id)));
    }

    /** Puts {@code tombstone} in place of message {@code id}, in the archive and in the history. */
    void replace(String id, Element tombstone) {
        loaded();
        history.replace(id, tombstone.withChild(stanzaId(id)));
        if (archives.enabled()) {
            archives.replace(room, id, tombstone);
        }
    }

    /** The room is gone: so is its archive (a room that never archived anything costs no database work). */
    void drop() {
        if (archives.enabled() && archivedAny) {
            archives.delete(room);
        }
    }

    private void loaded() {
        for (String id = failed.poll(); id != null; id = failed.poll()) {
            history.remove(id);
        }
        if (loaded) {
            return;
        }
        loaded = true;
        if (archives.enabled()) {
            for (ServiceArchives.Archived a : archives.latest(room, history.capacity())) {
                history.add(new RoomHistory.Entry(a.id(), a.at(), RealJids.strip(a.message()).withChild(stanzaId(a.id()))));
            }
        }
    }
}
