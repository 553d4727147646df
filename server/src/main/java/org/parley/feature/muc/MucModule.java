package org.parley.feature.muc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.parley.config.Option;
import org.parley.feature.mam.ServiceArchives;
import org.parley.feature.push.PushNotifications;
import org.parley.module.Identity;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.module.ServiceDomain;
import org.parley.module.Ownership;
import org.parley.route.IqHandler;
import org.parley.route.IqRequest;
import org.parley.route.Router;
import org.parley.store.StoreException;
import org.parley.store.sql.Database;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group chat service (XEP-0045) at its own domain, {@code conference.<domain>} unless
 * {@code muc.service} says otherwise: presences and messages to rooms go to {@link Rooms}, the
 * room's IQs (disco, owner, self-ping) to the room under its lock, and the service lists its
 * public rooms.
 */
public final class MucModule implements Module {
    private static final Logger log = LoggerFactory.getLogger(MucModule.class);
    public static final Option<String> SERVICE = Option.domain("service", null,
            "the group chat service's domain (XEP-0045)").documentedAs("`conference.<domain>`");
    public static final Option<Integer> MAX_OCCUPANTS = Option.integer("maxOccupants", 200, 1, 1_000_000,
            "most occupants a room may be configured for, and a new room's limit");
    public static final Option<Integer> HISTORY = Option.integer("history", 50, 0, 10_000,
            "newest messages of each room's archive kept in memory for the history sent on joining");
    public static final Option<Integer> MAX_MESSAGE_CHARS = Option.integer("maxMessageChars", 10_000, 1, 1_000_000,
            "longest message body an occupant may send to a room (longer: policy-violation)");
    public static final Option<Integer> ROOMS_PER_USER = Option.integer("roomsPerUser", 100, 1, 1_000_000,
            "rooms one user may have made that still exist, counted on every node of a cluster alike (more: not-allowed)");
    public static final Option<Integer> MAX_JOIN_PRESENCES = Option.integer("maxJoinPresences", 1000, 0, 1_000_000,
            "a room of more occupants is large: its participants' and visitors' presences go to its moderators only, and a joining participant or visitor is sent the moderators' only (a joining moderator at most this many)");
    public static final Option<Duration> IQ_TIMEOUT = Option.duration("iqTimeout", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(10),
            "how long the room waits for an occupant to answer an IQ passed on to it (then remote-server-timeout)");

    public static final Option<Integer> CLUSTER_HELD = Option.integer("clusterHeld", 100_000, 1, 100_000_000,
            "in a cluster, the stanzas a room holds back (in its order) while a message before them waits for its archive commit; past it the room's next stanza waits");

    private static final QName OWNER_QUERY = new QName(MucElements.OWNER, RoomOwner.QUERY);
    private static final QName ADMIN_QUERY = new QName(MucElements.ADMIN, RoomAdmin.QUERY);
    private static final QName DISCO_INFO = new QName(Namespaces.DISCO_INFO, "query");
    private static final QName DISCO_ITEMS = new QName(Namespaces.DISCO_ITEMS, "query");
    private static final QName PING = new QName(Namespaces.PING, "ping");
    private static final QName REGISTER = new QName(RoomRegistration.NAMESPACE, "query");

    private final ServiceArchives archives;
    private final PushNotifications push;
    private ServiceDomain service;
    private Rooms rooms;
    private MucStore store;
    private MucPushStore pushStore;
    private final RemovedAccounts removedAccounts = new RemovedAccounts();

    /**
     * @param archives where rooms keep their archives (XEP-0313), the server's message archive
     * @param push     the push notifications (XEP-0357) members may ask rooms for
     */
    public MucModule(ServiceArchives archives, PushNotifications push) {
        this.archives = archives;
        this.push = push;
    }
    private RoomIqs iqs;
    private Router router;
    private MucLimits limits;
    private boolean clustered;
    private Ownership.Entities entities;
    /** The room IQ handlers by type and payload, for IQs that reach this node as a room's owner. */
    private final Map<String, IqHandler> roomIqs = new HashMap<>();
    private IqHandler otherIqs;

    @Override
    public String name() {
        return "muc";
    }

    @Override
    public void openStorage(Database database) {
        database.migrate(name());
        store = new SqlMucStore(database);
        pushStore = new SqlMucPushStore(database);
        removedAccounts.register(database);
    }

    @Override
    public List<Option<?>> options() {
        return List.of(SERVICE, MAX_OCCUPANTS, HISTORY, MAX_MESSAGE_CHARS, ROOMS_PER_USER, MAX_JOIN_PRESENCES, IQ_TIMEOUT, CLUSTER_HELD);
    }

    @Override
    public void start(ModuleContext ctx) {
        String domain = ctx.option(SERVICE);
        if (domain == null) {
            domain = "conference." + ctx.serverJid().domain();
        }
        limits = new MucLimits(ctx.option(MAX_OCCUPANTS), ctx.option(HISTORY),
                ctx.option(MAX_MESSAGE_CHARS), ctx.option(ROOMS_PER_USER), ctx.option(MAX_JOIN_PRESENCES));
        router = ctx.router();
        clustered = ctx.clusterNodeId().isPresent();
        service = ctx.serviceDomain(domain, this::arrived);
        RoomPush roomPush = new RoomPush(push, ctx.directory(), pushStore, ctx.serverJid().domain());
        roomPush.load();
        rooms = new Rooms(limits, service::send, ctx.clock(), store, new RoomServices(archives, roomPush, clustered,
                ctx.option(CLUSTER_HELD)), clustered,
                room -> entities.release(room.toString()));
        entities = ctx.ownership().open(name(), new RoomPlacement());
        if (!clustered) {
            rooms.load();
        }
        removedAccounts.start(ctx.serverJid().domain(), rooms, ctx.stores().accounts());
        service.identity(new Identity("conference", "text", "Chatrooms"));
        service.feature(MucElements.MUC);
        service.items((requester, node) -> node == null ? publicRooms() : null);
        iqs = new RoomIqs(ctx.router().iqTracker(), service::send, ctx.option(IQ_TIMEOUT));
        jidIq(false, DISCO_INFO, r -> inRoom(r, room -> RoomRegistration.NICK_NODE.equals(r.payload().attr("node"))
                ? RoomRegistration.reservedNick(room, r.from()) : RoomInfo.info(room)));
        jidIq(false, DISCO_ITEMS, r -> inRoom(r, MucModule::occupantItems));
        jidIq(false, OWNER_QUERY, r -> inRoom(r, room -> RoomOwner.get(room, r.from())));
        jidIq(true, OWNER_QUERY, r -> inRoom(r, room -> {
            RoomOwner.set(room, r.from(), r.payload());
            return null;
        }));
        jidIq(false, ADMIN_QUERY, r -> inRoom(r, room -> RoomAdmin.get(room, r.from(), r.payload())));
        jidIq(true, ADMIN_QUERY, r -> inRoom(r, room -> {
            RoomAdmin.set(room, r.from(), r.payload());
            return null;
        }));
        jidIq(false, PING, this::selfPing);
        QName notify = new QName(RoomPush.NAMESPACE, RoomPush.ELEMENT);
        jidIq(false, notify, r -> inRoom(r, room -> room.push().get(room, r.from())));
        jidIq(true, notify, r -> inRoom(r, room -> {
            room.push().set(room, r.from(), r.payload());
            return null;
        }));
        jidIq(true, new QName(RoomModeration.MODERATE, RoomModeration.ELEMENT), r -> inRoom(r, room -> {
            RoomModeration.moderate(room, r.from(), r.payload());
            return null;
        }));
        if (archives.enabled()) {
            QName mamQuery = new QName(ServiceArchives.namespace(), "query");
            jidIq(false, mamQuery, r -> inRoom(r, room -> archives.form()));
            jidIq(true, mamQuery, this::archiveQuery);
        }
        jidIq(false, REGISTER, r -> inRoom(r, room -> RoomRegistration.get(room, r.from())));
        jidIq(true, REGISTER, r -> inRoom(r, room -> {
            RoomRegistration.set(room, r.from(), r.payload());
            return null;
        }));
        otherIqs = r -> {
            if (r.target().resource() == null) {
                throw new StanzaErrorException(Condition.SERVICE_UNAVAILABLE);
            }
            return rooms.apply(r.target(), null, room -> iqs.forward(room, r));
        };
        service.jidIqOther(r -> atOwner(r, otherIqs));
    }

    /** Registers a room IQ handler: it runs on the room's owner (see {@link #atOwner}). */
    private void jidIq(boolean set, QName payload, IqHandler handler) {
        roomIqs.put(iqKey(set, payload), handler);
        IqHandler routed = r -> atOwner(r, handler);
        if (set) {
            service.jidIqSet(payload, routed);
        } else {
            service.jidIqGet(payload, routed);
        }
    }

    private static String iqKey(boolean set, QName payload) {
        return (set ? "set " : "get ") + payload;
    }

    /**
     * Runs a room's IQ where the room lives: here when this node owns it (always on one node),
     * else the IQ goes to the owner, which answers it ({@link RoomPlacement#receive}).
     */
    private Element atOwner(IqRequest r, IqHandler handler) {
        String room = r.target().bare().toString();
        if (entities.owns(room)) {
            return handler.handle(r);
        }
        entities.route(room, r.stanza());
        return IqHandler.ANSWERED;
    }

    /** An IQ request routed to this node as the room's owner: answered with the handler registered for it. */
    private void answerAtOwner(Stanza iq) {
        Element payload = iq.payload();
        if (payload == null) {
            router.bounce(iq, StanzaError.of(Condition.BAD_REQUEST));
            return;
        }
        IqHandler handler = roomIqs.getOrDefault(iqKey("set".equals(iq.type()), QName.of(payload)), otherIqs);
        Stanza reply = router.answer(handler, new IqRequest(iq, null, iq.to(), true));
        if (reply != null) {
            router.route(reply);
        }
    }

    /**
     * What the node that owns a room does (XEP-0045 in a cluster, {@link Ownership}): loads the
     * room when it becomes its owner, handles its stanzas, and forgets it when another node took it.
     */
    private final class RoomPlacement implements Ownership.Owner {
        @Override
        public void acquired(String entity) {
            if (clustered) {
                rooms.acquire(Jid.of(entity));
            }
        }

        @Override
        public void lost(String entity) {
            rooms.drop(Jid.of(entity));
        }

        @Override
        public void receive(String entity, Stanza s) {
            try {
                if (s.isIq()) {
                    if ("get".equals(s.type()) || "set".equals(s.type())) {
                        answerAtOwner(s);
                    } else if (!router.iqTracker().complete(s)) {
                        log.debug("muc: an IQ answer nobody waits for from {}", s.from());
                    }
                } else {
                    handle(s);
                }
            } catch (StanzaErrorException e) {
                router.bounce(s, e.error());
            } catch (StoreException e) {
                log.warn("muc: handling a {} failed: {}", s.element().name(), e.getMessage());
                router.bounce(s, Router.storeFailure(e));
            } catch (RuntimeException e) {
                log.error("muc: handling failed for {}", s, e);
                router.bounce(s, StanzaError.of(Condition.INTERNAL_SERVER_ERROR));
            } finally {
                if (clustered && !rooms.exists(s.to()) && entities.owns(entity)) {
                    entities.release(entity); // no such room: nothing to own (one that vanished released itself)
                }
            }
        }
    }

    /** Runs a room IQ addressed to the room's bare JID; one to an occupant is passed on to it. */
    private Element inRoom(IqRequest r, Function<Room, Element> action) {
        if (r.target().resource() != null) {
            return rooms.apply(r.target(), null, room -> iqs.forward(room, r));
        }
        return underLock(r, action);
    }

    /** Runs {@code action} on the room of a request to its bare JID, under the room's lock. */
    private <T> T underLock(IqRequest r, Function<Room, T> action) {
        return rooms.apply(r.target(), null, room -> {
            if (room.locked() && room.affiliations().of(r.from()) != Affiliation.OWNER) {
                throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "no such room");
            }
            return action.apply(room);
        });
    }

    /**
     * XEP-0313 on the room's JID: the room's rules say who may read its archive, under the room's
     * lock; the query itself runs outside it, so reading the archive never holds up the room.
     */
    private Element archiveQuery(IqRequest r) {
        if (r.target().resource() != null) {
            return inRoom(r, room -> null);
        }
        String[] floor = new String[1];
        UnaryOperator<Element> shown = underLock(r, room -> {
            floor[0] = room.archive().floor();
            return RoomMam.access(room, r.from());
        });
        return archives.query(r, r.target(), shown, floor[0]);
    }

    /**
     * XEP-0410: a ping to one's own occupant JID is answered while that session is joined;
     * {@code not-acceptable} tells the client it is not (any more).
     */
    private Element selfPing(IqRequest r) {
        Jid target = r.target();
        return rooms.apply(target, null, room -> {
            Occupant o = room.occupants().bySession(r.from());
            if (target.resource() == null) {
                return null;
            }
            if (o == null) {
                throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, "not joined to this room");
            }
            if (!o.nick().equals(target.resource())) {
                return iqs.forward(room, r);
            }
            return null;
        });
    }

    /** §6.5: a public room lists its occupants' room JIDs; a hidden one lists nothing. */
    private static Element occupantItems(Room room) {
        Element.Builder q = Element.builder("query", Namespaces.DISCO_ITEMS);
        if (room.config().publicRoom()) {
            for (Occupant o : room.occupants().all()) {
                q.child(Element.builder("item", Namespaces.DISCO_ITEMS)
                        .attr("jid", room.jid().withResource(o.nick()).toString()).build());
            }
        }
        return q.build();
    }

    private List<Element> publicRooms() {
        List<Element> items = new ArrayList<>();
        if (clustered) {
            // Each node holds only the rooms it owns; the store has every configured room.
            for (MucStore.StoredRoom s : store.all()) {
                RoomConfig c = RoomConfig.fromStored(s.config(), limits);
                if (c.publicRoom()) {
                    items.add(Element.builder("item", Namespaces.DISCO_ITEMS).attr("jid", s.room().toString())
                            .attr("name", c.name().isEmpty() ? s.room().local() : c.name()).build());
                }
            }
            return items;
        }
        for (Room room : rooms.all()) {
            RoomConfig c = room.config();
            if (c.publicRoom() && !room.locked() && !room.destroyed()) {
                items.add(Element.builder("item", Namespaces.DISCO_ITEMS).attr("jid", room.jid().toString())
                        .attr("name", c.name().isEmpty() ? room.jid().local() : c.name()).build());
            }
        }
        return items;
    }

    /**
     * A stanza routed on this node to the service: one for a room (an occupant's presence,
     * message, or an answer to an IQ the room passed on) goes to the room's owner node.
     */
    private void arrived(Stanza s) {
        if (s.to().local() == null) {
            // The service itself takes no messages or presences.
            throw new StanzaErrorException(Condition.SERVICE_UNAVAILABLE);
        }
        entities.route(s.to().bare().toString(), s);
    }

    /** A room's presence or message, on the room's owner. */
    private void handle(Stanza s) {
        Jid to = s.to();
        Jid from = s.from();
        if (to.local() == null) {
            // The service itself takes no messages or presences.
            throw new StanzaErrorException(Condition.SERVICE_UNAVAILABLE);
        }
        if (from == null || from.resource() == null) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "occupants are addressed by their full JID");
        }
        if (s.isPresence()) {
            if (s.type() == null) {
                rooms.apply(to, from, room -> {
                    room.presence(s);
                    return null;
                });
            } else {
                rooms.ifExists(to, room -> room.presence(s));
            }
        } else if (s.isMessage()) {
            if (s.isError()) {
                rooms.ifExists(to, room -> RoomMessages.message(room, s));
            } else {
                rooms.apply(to, null, room -> {
                    RoomMessages.message(room, s);
                    return null;
                });
            }
        }
    }
}
