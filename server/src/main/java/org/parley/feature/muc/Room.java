package org.parley.feature.muc;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.delay.Delay;

/**
 * One room: the state machine of XEP-0045 over its parts ({@link RoomConfig},
 * {@link Affiliations}, {@link Occupants}, {@link RoomArchive}). Everything runs under
 * {@link #lock}, taken by {@link Rooms}: a room handles one stanza at a time, rooms run in
 * parallel. Entering, leaving and nickname changes are here; messages are in
 * {@link RoomMessages}, the owner's requests in {@link RoomOwner}.
 */
final class Room {
    final ReentrantLock lock = new ReentrantLock();
    private final Jid jid;
    private final MucLimits limits;
    private final Consumer<Stanza> out;
    private final Clock clock;
    private final Supplier<String> ids;
    private final Affiliations affiliations = new Affiliations();
    private final Occupants occupants = new Occupants();
    private final RoomArchive archive;
    private final RoomPush push;
    /** In a cluster, where the room's stanzas wait for the messages before them to be durable; null on one node. */
    private final RoomOutbox outbox;
    private OccupantIds occupantIds;
    private volatile RoomConfig config;
    private volatile boolean locked;
    private boolean destroyed;
    private String subject = "";
    private Jid subjectBy;
    /** Whether what is stored changed since the last {@link #takeDirty()}. */
    private boolean dirty;
    /** Written under {@link #lock}; read without it when counting a user's rooms ({@link Rooms}). */
    private volatile boolean stored;
    /** The user whose first join made the room, null when a store from before it was kept says nothing. */
    private Jid maker;

    Room(Jid jid, MucLimits limits, Consumer<Stanza> out, Clock clock, Supplier<String> ids,
         RoomServices services, boolean stored) {
        this.jid = jid.bare();
        this.limits = limits;
        this.out = out;
        this.clock = clock;
        this.ids = ids;
        this.push = services.push();
        this.outbox = services.durableFirst() ? new RoomOutbox(out, services.outboxCopies()) : null;
        this.archive = new RoomArchive(this.jid, services.archives(), limits.historyKept(), stored,
                services.durableFirst());
        this.config = RoomConfig.defaults(limits.maxUsers(), limits.historyKept());
    }

    /** A new room, made by {@code creator}'s first join: its owner, locked until configured (§10.1.1). */
    static Room created(Jid jid, Jid creator, MucLimits limits, Consumer<Stanza> out, Clock clock,
                        Supplier<String> ids, RoomServices services, OccupantIds occupantIds) {
        Room r = new Room(jid, limits, out, clock, ids, services, false);
        r.occupantIds = occupantIds;
        r.affiliations.set(creator, Affiliation.OWNER);
        r.maker = creator.bare();
        r.locked = true;
        return r;
    }

    /** A persistent room as it was stored (§10.2: its configuration, subject and affiliations). */
    static Room restored(MucStore.StoredRoom s, MucLimits limits, Consumer<Stanza> out, Clock clock,
                         Supplier<String> ids, RoomServices services, OccupantIds occupantIds) {
        Room r = new Room(s.room(), limits, out, clock, ids, services, true);
        r.occupantIds = occupantIds;
        r.config = RoomConfig.fromStored(s.config(), limits);
        r.subject = s.subject();
        r.subjectBy = s.subjectBy();
        r.maker = s.maker();
        s.affiliations().forEach(r.affiliations::set);
        s.nicks().forEach(r.affiliations::reserve);
        r.affiliations.takeChanged();
        r.stored = true;
        return r;
    }

    /** What the store keeps of this room. */
    MucStore.StoredRoom snapshot() {
        return new MucStore.StoredRoom(jid, config.toStored(), subject, subjectBy, affiliations.all(),
                affiliations.nicks(), occupantIds.salt(), maker);
    }

    /** The user whose first join made the room (for {@link MucLimits#roomsPerUser}), or null. */
    Jid maker() {
        return maker;
    }

    /** Whether what the store keeps changed since the last call. */
    boolean takeDirty() {
        boolean changed = affiliations.takeChanged() | dirty;
        dirty = false;
        return changed;
    }

    boolean stored() {
        return stored;
    }

    void stored(boolean isStored) {
        stored = isStored;
    }

    Jid jid() {
        return jid;
    }

    RoomConfig config() {
        return config;
    }

    void config(RoomConfig newConfig) {
        dirty |= !newConfig.equals(config);
        config = newConfig;
    }

    MucLimits limits() {
        return limits;
    }

    Affiliations affiliations() {
        return affiliations;
    }

    Occupants occupants() {
        return occupants;
    }

    /** The XEP-0421 occupant id of {@code user} in this room. */
    String occupantId(Jid user) {
        return occupantIds.of(user);
    }

    /** The members' push notifications (shared by the service's rooms). */
    RoomPush push() {
        return push;
    }

    /** The room's archive and the history in front of it. */
    RoomArchive archive() {
        return archive;
    }

    Clock clock() {
        return clock;
    }

    String nextId() {
        return ids.get();
    }

    String subject() {
        return subject;
    }

    void subject(String text, Jid by) {
        dirty = true;
        subject = text;
        subjectBy = by;
    }

    boolean locked() {
        return locked;
    }

    void unlock() {
        locked = false;
    }

    boolean destroyed() {
        return destroyed;
    }

    void markDestroyed() {
        destroyed = true;
    }

    /** Whether the room goes now: destroyed, or temporary and empty (§10.1.1, §10.9). */
    boolean vanishes() {
        return destroyed || (occupants.isEmpty() && !config.persistent());
    }

    /** Sends {@code s} (in a cluster, behind any message still waiting for its archive commit). */
    void send(Stanza s) {
        if (outbox == null) {
            out.accept(s);
        } else {
            outbox.send(s);
        }
    }

    /**
     * In a cluster: sends a message's {@code copies}, then runs {@code then}, once {@code durable}
     * completed, in the room's order ({@link RoomOutbox}); if it failed, sends what {@code failed}
     * makes of the failure instead.
     */
    void sendWhenDurable(CompletableFuture<Void> durable, List<Stanza> copies, Runnable then,
                         Function<Throwable, Stanza> failed) {
        outbox.sendWhenDurable(durable, copies, then, failed);
    }

    /** Handles a presence to {@code room/nick} (or to the room's bare JID, which has no nick). */
    void presence(Stanza p) {
        Jid from = p.from();
        String type = p.type();
        if (type == null) {
            String nick = p.to().resource();
            if (nick == null) {
                // §7.2.1: entering needs a nickname.
                throw new StanzaErrorException(Condition.JID_MALFORMED, "a room is entered at room@service/nick");
            }
            Occupant o = occupants.bySession(from);
            if (o == null) {
                enter(p, nick);
            } else if (o.nick().equals(nick)) {
                o.present(from, payload(p));
                broadcastPresence(o, null, List.of());
            } else {
                changeNick(o, p, nick);
            }
        } else if (type.equals("unavailable")) {
            Occupant o = occupants.bySession(from);
            if (o != null) {
                leave(o, from, p.element().element("status", Namespaces.CLIENT), p.id());
            }
        } else if (type.equals("error")) {
            removeGhost(from);
        }
    }

    private void enter(Stanza p, String requested) {
        Jid from = p.from();
        Affiliation affiliation = affiliations.of(from);
        if (locked && affiliation != Affiliation.OWNER) {
            // §10.1.1: a room still being configured does not exist for anyone else.
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "the room is locked until its owner configures it");
        }
        Element x = MucElements.joinX(p.element());
        HistoryRequest wanted = HistoryRequest.from(x);
        Occupant mine = occupants.byUser(from);
        String nick = mine == null ? requested : mine.nick();
        if (affiliation == Affiliation.OUTCAST) {
            throw new StanzaErrorException(Condition.FORBIDDEN, "banned from this room");
        }
        if (mine == null) {
            if (config.membersOnly() && !affiliation.atLeast(Affiliation.MEMBER)) {
                throw new StanzaErrorException(Condition.REGISTRATION_REQUIRED, "this room is for members only");
            }
            String password = x == null ? null : x.childText("password", MucElements.MUC);
            if (config.passwordProtected() && !config.password().equals(password)) {
                throw new StanzaErrorException(Condition.NOT_AUTHORIZED, "a password is needed to enter");
            }
            if (occupants.byNick(nick) != null || reservedByAnother(nick, from)) {
                throw new StanzaErrorException(Condition.CONFLICT, "that nickname is in use or reserved");
            }
            if (occupants.size() >= config.maxUsers() && !affiliation.atLeast(Affiliation.ADMIN)) {
                throw new StanzaErrorException(Condition.SERVICE_UNAVAILABLE, "the room is full");
            }
        }
        List<Integer> codes = new ArrayList<>();
        if (config.nonAnonymous()) {
            codes.add(MucElements.NON_ANONYMOUS);
        }
        if (config.publicLogging()) {
            codes.add(MucElements.LOGGED);
        }
        if (locked && occupants.isEmpty()) {
            codes.add(MucElements.CREATED);
        }
        if (!nick.equals(requested)) {
            codes.add(MucElements.NICK_ASSIGNED);
        }
        Occupant o = mine;
        if (o == null) {
            o = new Occupant(nick, from, defaultRole(affiliation), occupantIds.of(from));
            o.present(from, payload(p));
            occupants.add(o, from);
        } else {
            o.present(from, payload(p));
            occupants.addSession(o, from);
        }
        // §7.2.3 order: the others' presence, the newcomer's own (to all), history, subject.
        RoomPresences.toNewcomer(this, o, from, p.id(), limits.maxJoinPresences());
        if (mine == null) {
            broadcastPresence(o, p.id(), codes);
        } else {
            send(presenceOf(o, o, from, null, withSelf(codes), p.id(), false));
        }
        for (RoomHistory.Entry e : archive.recent(wanted, config.historyLength(), clock.instant())) {
            Element m = e.message().withAttr("to", from.toString())
                    .withChild(new Delay(e.at(), jid).toElement());
            send(Stanza.of(m));
        }
        send(Stanza.of(subjectMessage(from)));
    }

    /** §7.10: a nickname another user registered is theirs alone. */
    private boolean reservedByAnother(String nick, Jid user) {
        Jid holder = affiliations.holder(nick);
        return holder != null && !holder.equals(user.bare());
    }

    private static List<Integer> withSelf(List<Integer> codes) {
        List<Integer> all = new ArrayList<>(codes);
        all.add(MucElements.SELF);
        return all;
    }

    Role defaultRole(Affiliation affiliation) {
        if (affiliation.atLeast(Affiliation.ADMIN)) {
            return Role.MODERATOR;
        }
        return config.moderated() && affiliation == Affiliation.NONE ? Role.VISITOR : Role.PARTICIPANT;
    }

    /** §7.2.15: the subject (empty when none), from the occupant who set it or the room. */
    private Element subjectMessage(Jid to) {
        Jid from = subjectBy == null ? jid : subjectBy;
        return Element.builder("message", Namespaces.CLIENT).attr("from", from.toString()).attr("to", to.toString())
                .attr("type", "groupchat").attr("id", ids.get())
                .child(Element.builder("subject", Namespaces.CLIENT).text(subject).build()).build();
    }

    private void changeNick(Occupant o, Stanza p, String nick) {
        Occupant holder = occupants.byNick(nick);
        if (holder != null || reservedByAnother(nick, p.from())) {
            // §7.6: the error comes from the nickname asked for.
            throw new StanzaErrorException(Condition.CONFLICT, "that nickname is in use");
        }
        o.present(p.from(), payload(p));
        broadcastPresence(o, "unavailable", nick, List.of(MucElements.NEW_NICK), null, null);
        occupants.rename(o, nick);
        broadcastPresence(o, p.id(), List.of());
    }

    private void leave(Occupant o, Jid session, Element status, String id) {
        if (o.sessions().size() > 1) {
            Stanza gone = presenceOf(o, o, session, "unavailable", List.of(MucElements.SELF), id, true);
            occupants.removeSession(o, session);
            send(gone);
            return;
        }
        List<Element> payload = status == null ? List.of() : List.of(status);
        o.present(session, payload);
        o.role(Role.NONE);
        broadcastPresence(o, "unavailable", null, List.of(), null, id);
        occupants.removeSession(o, session);
    }

    /**
     * An error from a session, e.g. a message bounced because the client is gone: the session is
     * removed as a ghost, its occupant going with its last session (status 333).
     */
    void removeGhost(Jid session) {
        Occupant o = occupants.bySession(session);
        if (o == null) {
            return;
        }
        if (o.sessions().size() > 1) {
            occupants.removeSession(o, session);
            return;
        }
        occupants.removeSession(o, session);
        o.role(Role.NONE);
        o.present(session, List.of());
        broadcastPresence(o, "unavailable", null, List.of(MucElements.TECHNICAL_REMOVAL), null, null);
    }

    /** Sends {@code o}'s available presence to every session in the room (its own with 110). */
    void broadcastPresence(Occupant o, String id, List<Integer> codes) {
        RoomPresences.broadcast(this, o, null, null, codes, null, id);
    }

    /** Sends {@code o}'s presence of {@code type} to every session, with {@code extra} inside its muc#user x, reflecting {@code id}. */
    void broadcastPresence(Occupant o, String type, String newNick, List<Integer> codes, Element extra, String id) {
        RoomPresences.broadcast(this, o, type, newNick, codes, extra, id);
    }

    private Stanza presenceOf(Occupant o, Occupant viewer, Jid to, String type, List<Integer> codes, String id,
                              boolean bare) {
        Stanza s = RoomPresences.to(this, o, viewer, to, type, codes, id);
        if (bare) {
            s = Stanza.of(s.element().withChildren(List.of(s.element().element("x", MucElements.USER))));
        }
        return s;
    }

    /** What of a presence others see: everything but the muc elements and the addressing. */
    private static List<Element> payload(Stanza p) {
        List<Element> out = new ArrayList<>();
        for (Element c : p.element().elements()) {
            if (!MucElements.ours(c) && !c.is("error", Namespaces.CLIENT) && !OccupantIds.is(c)) {
                out.add(c);
            }
        }
        return out;
    }
}
