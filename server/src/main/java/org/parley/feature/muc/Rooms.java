package org.parley.feature.muc;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * The rooms of the service, by bare JID. Each room runs one stanza at a time under its own lock
 * (no global lock): {@link #apply} takes the room's lock, retries when the room vanished while it
 * waited, and removes a room that vanishes (destroyed, or temporary and empty) before unlocking.
 */
final class Rooms {
    private final Map<Jid, Room> rooms = new ConcurrentHashMap<>();
    /** Rooms each user made and that still exist, for {@link MucLimits#roomsPerUser}. */
    private final Map<Jid, Integer> made = new ConcurrentHashMap<>();
    private final Map<Room, Jid> makers = new ConcurrentHashMap<>();
    private final MucLimits limits;
    private final Consumer<Stanza> out;
    private final Clock clock;
    private final MucStore store;
    private final RoomServices services;
    private final SecureRandom random = new SecureRandom();

    Rooms(MucLimits limits, Consumer<Stanza> out, Clock clock, MucStore store, RoomServices services) {
        this.services = services;
        this.limits = limits;
        this.out = out;
        this.clock = clock;
        this.store = store;
    }

    /** Brings back the persistent rooms the store keeps, unlocked and empty. */
    void load() {
        for (MucStore.StoredRoom s : store.all()) {
            rooms.put(s.room(), Room.restored(s, limits, out, clock, Rooms::newId, services,
                    OccupantIds.restored(s.occupantIdSalt(), random)));
        }
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Runs {@code action} on the room under its lock. A missing room is made with {@code creator}
     * as its owner when {@code creator} is given (§10.1.1), else is {@code item-not-found}.
     */
    <T> T apply(Jid roomJid, Jid creator, Function<Room, T> action) {
        Jid key = roomJid.bare();
        while (true) {
            Room room = rooms.get(key);
            if (room == null) {
                if (creator == null) {
                    throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "no such room");
                }
                room = create(key, creator);
            }
            room.lock.lock();
            try {
                if (room.destroyed()) {
                    continue;
                }
                try {
                    return action.apply(room);
                } finally {
                    if (room.vanishes()) {
                        remove(key, room);
                    } else {
                        persist(room);
                    }
                }
            } finally {
                room.lock.unlock();
            }
        }
    }

    /** As {@link #apply} without creating, doing nothing when the room does not exist. */
    void ifExists(Jid roomJid, Consumer<Room> action) {
        if (rooms.containsKey(roomJid.bare())) {
            try {
                apply(roomJid, null, r -> {
                    action.accept(r);
                    return null;
                });
            } catch (StanzaErrorException e) {
                if (e.error().condition() != Condition.ITEM_NOT_FOUND || rooms.containsKey(roomJid.bare())) {
                    throw e;
                }
            }
        }
    }

    private Room create(Jid key, Jid creator) {
        Jid user = creator.bare();
        int[] allowed = {0};
        made.compute(user, (u, n) -> {
            int count = n == null ? 0 : n;
            if (count >= limits.roomsPerUser()) {
                return n;
            }
            allowed[0] = 1;
            return count + 1;
        });
        if (allowed[0] == 0) {
            throw new StanzaErrorException(Condition.NOT_ALLOWED,
                    "a user may have made at most " + limits.roomsPerUser() + " rooms");
        }
        Room fresh = Room.created(key, creator, limits, out, clock, Rooms::newId, services, OccupantIds.fresh(random));
        Room existing = rooms.putIfAbsent(key, fresh);
        if (existing != null) {
            unmade(user);
            return existing;
        }
        makers.put(fresh, user);
        return fresh;
    }

    /** Writes a persistent room's changes; a room made temporary leaves the store. */
    private void persist(Room room) {
        if (!room.takeDirty()) {
            return;
        }
        if (room.config().persistent()) {
            store.save(room.snapshot());
            room.stored(true);
        } else if (room.stored()) {
            store.delete(room.jid());
            room.stored(false);
        }
    }

    private void remove(Jid key, Room room) {
        room.markDestroyed();
        room.archive().drop();
        room.push().forget(key);
        if (room.stored()) {
            store.delete(key);
            room.stored(false);
        }
        if (rooms.remove(key, room)) {
            Jid maker = makers.remove(room);
            if (maker != null) {
                unmade(maker);
            }
        }
    }

    private void unmade(Jid user) {
        made.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
    }

    /** Forgets {@code user} in every room: its affiliation (persisted) and its push choice. */
    void forget(Jid user) {
        sweep(user.bare()::equals);
    }

    /** Takes every affiliation and push choice of a JID that {@code gone} matches out of every room. */
    void sweep(java.util.function.Predicate<Jid> gone) {
        for (Room room : all()) {
            try {
                apply(room.jid(), null, r -> {
                    for (Jid j : r.affiliations().all().keySet()) {
                        if (gone.test(j)) {
                            r.affiliations().set(j, Affiliation.NONE);
                        }
                    }
                    r.push().forget(r.jid(), gone);
                    return null;
                });
            } catch (StanzaErrorException e) {
                // the room went meanwhile
            }
        }
    }

    /** Every room, for listing; their state is read without their locks (configs are immutable). */
    List<Room> all() {
        return List.copyOf(rooms.values());
    }
}
