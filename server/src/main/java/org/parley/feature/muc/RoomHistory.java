package org.parley.feature.muc;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.parley.xml.Element;

/**
 * The latest messages of a room (and subject changes), bounded, for the history a joining
 * occupant gets (XEP-0045 §7.2.14) within what it asks for ({@link HistoryRequest}). Changed and
 * read only under the room's lock.
 */
final class RoomHistory {

    /**
     * One message as the room broadcast it (from the sender's occupant JID, without 'to').
     *
     * @param id the XEP-0359 stanza-id the room gave it
     */
    record Entry(String id, Instant at, Element message) {
        int chars() {
            return message.toXml().length();
        }
    }

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();

    /** @param capacity the most messages kept (the service's limit) */
    RoomHistory(int capacity) {
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    /** The kept message with this stanza-id, if it is still kept. */
    Optional<Element> find(String id) {
        for (Entry e : entries) {
            if (e.id().equals(id)) {
                return Optional.of(e.message());
            }
        }
        return Optional.empty();
    }

    /** Puts {@code message} in place of the kept message with this id, if it is still kept. */
    void replace(String id, Element message) {
        List<Entry> all = new ArrayList<>(entries);
        all.replaceAll(e -> e.id().equals(id) ? new Entry(id, e.at(), message) : e);
        entries.clear();
        entries.addAll(all);
    }

    /** Forgets the kept message with this id, if it is still kept. */
    void remove(String id) {
        entries.removeIf(e -> e.id().equals(id));
    }

    void add(Entry e) {
        if (capacity == 0) {
            return;
        }
        while (entries.size() >= capacity) {
            entries.removeFirst();
        }
        entries.addLast(e);
    }

    /**
     * The newest messages, oldest first, at most {@code roomLength} (the room's configured
     * length) and within every limit of {@code request}.
     */
    List<Entry> recent(HistoryRequest request, int roomLength, Instant now) {
        int max = Math.min(roomLength, request.maxStanzas() == null ? Integer.MAX_VALUE : request.maxStanzas());
        long chars = request.maxChars() == null ? Long.MAX_VALUE : request.maxChars();
        Instant after = request.since();
        if (request.seconds() != null) {
            Instant cut = now.minusSeconds(request.seconds());
            after = after == null || cut.isAfter(after) ? cut : after;
        }
        List<Entry> out = new ArrayList<>();
        Iterator<Entry> newest = entries.descendingIterator();
        while (newest.hasNext() && out.size() < max) {
            Entry e = newest.next();
            if (after != null && !e.at().isAfter(after)) {
                break;
            }
            chars -= e.chars();
            if (chars < 0) {
                break;
            }
            out.add(e);
        }
        Collections.reverse(out);
        return out;
    }
}
