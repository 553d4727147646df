package org.parley.feature.muc;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>On one node every persistent room is loaded at start ({@link #load}). In a cluster a node
 * holds only the rooms it owns ({@code MucModule}): it loads one when it becomes its owner
 * ({@link #acquire}) and forgets it when it loses it ({@link #drop}); so that another node can take
 * a room over, every configured room (temporary ones too) is stored as it changes, with its
 * occupants ({@link StoredOccupants}).
 */
final class Rooms {
    private final Map<Jid, Room> rooms = new ConcurrentHashMap<>();
    /**
     * The rooms each user made on this node that are still here, for {@link MucLimits#roomsPerUser}:
     * those not stored are counted from here, the others from the store ({@link #create}).
     */
    private final Map<Jid, Set<Room>> madeHere = new ConcurrentHashMap<>();
    private final MucLimits limits;
    private final Consumer<Stanza> out;
    private final Clock clock;
    private final MucStore store;
    private final RoomServices services;
    private final SecureRandom random = new SecureRandom();
    /** In a cluster, the occupants as stored; null on one node. */
    private final StoredOccupants occupants;
    /** Told of each room that vanished (its owner gives it up). */
    private final Consumer<Jid> vanished;

    /**
     * @param clustered whether rooms are placed on nodes of a cluster (stored whole as they change)
     * @param vanished  told of each room that vanished
     */
    Rooms(MucLimits limits, Consumer<Stanza> out, Clock clock, MucStore store, RoomServices services,
          boolean clustered, Consumer<Jid> vanished) {
        this.occupants = clustered ? new StoredOccupants(store) : null;
        this.vanished = vanished;
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

    /**
     * In a cluster, this node became the owner of {@code roomJid}: loads it as the store has it
     * (configuration, affiliations, subject, occupants); its history comes from the archive on first use.
     */
    void acquire(Jid roomJid) {
        Jid key = roomJid.bare();
        store.load(key).ifPresentOrElse(s -> {
            Room room = Room.restored(s, limits, out, clock, Rooms::newId, services,
                    OccupantIds.restored(s.occupantIdSalt(), random));
            room.lock.lock();
            try {
                occupants.restore(room);
                room.takeDirty();
                rooms.put(key, room);
            } finally {
                room.lock.unlock();
            }
        }, () -> rooms.remove(key));
    }

    /** In a cluster, another node owns {@code roomJid} now: forgets it here, leaving the store as it is. */
    void drop(Jid roomJid) {
        Jid key = roomJid.bare();
        Room room = rooms.remove(key);
        if (room != null) {
            room.lock.lock();
            try {
                room.markDestroyed(); // a stanza waiting for its lock looks again, and finds it gone
            } finally {
                room.lock.unlock();
            }
            unmade(room);
        }
        if (occupants != null) {
            occupants.forget(key);
        }
    }

    /** Whether the room exists on this node. */
    boolean exists(Jid roomJid) {
        return rooms.containsKey(roomJid.bare());
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

    /**
     * Makes a room, when {@code creator} has made fewer than {@link MucLimits#roomsPerUser} that
     * exist: the stored ones, which the store counts whichever node made or holds them (every
     * persistent room; in a cluster every configured room), and the ones this node made and has
     * not stored (temporary on one node, or still locked). Two rooms made at the same instant on two
     * nodes of a cluster may both pass the last free place.
     */
    private Room create(Jid key, Jid creator) {
        Jid user = creator.bare();
        int stored = store.madeBy(user);
        Room fresh = Room.created(key, creator, limits, out, clock, Rooms::newId, services, OccupantIds.fresh(random));
        boolean[] allowed = {false};
        madeHere.compute(user, (u, made) -> {
            long unstored = made == null ? 0 : made.stream().filter(r -> !r.stored()).count();
            if (stored + unstored >= limits.roomsPerUser()) {
                return made;
            }
            allowed[0] = true;
            Set<Room> more = made == null ? ConcurrentHashMap.newKeySet() : made;
            more.add(fresh);
            return more;
        });
        if (!allowed[0]) {
            throw new StanzaErrorException(Condition.NOT_ALLOWED,
                    "a user may have made at most " + limits.roomsPerUser() + " rooms");
        }
        Room existing = rooms.putIfAbsent(key, fresh);
        if (existing != null) {
            unmade(fresh);
            return existing;
        }
        return fresh;
    }

    /**
     * Writes a persistent room's changes; a room made temporary leaves the store. In a cluster
     * every room is stored once configured (unlocked), with its occupants.
     */
    private void persist(Room room) {
        boolean keep = room.config().persistent() || (occupants != null && !room.locked());
        if (room.takeDirty() || keep != room.stored()) {
            if (keep) {
                store.save(room.snapshot());
                room.stored(true);
            } else if (room.stored()) {
                store.delete(room.jid());
                room.stored(false);
            }
        }
        if (occupants != null && room.stored()) {
            occupants.sync(room);
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
        if (occupants != null) {
            occupants.forget(key);
        }
        if (rooms.remove(key, room)) {
            unmade(room);
        }
        vanished.accept(key);
    }

    /** The room is no longer here: it counts no more from this node (from the store, if it is stored). */
    private void unmade(Room room) {
        if (room.maker() != null) {
            madeHere.computeIfPresent(room.maker(), (u, made) -> {
                made.remove(room);
                return made.isEmpty() ? null : made;
            });
        }
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
