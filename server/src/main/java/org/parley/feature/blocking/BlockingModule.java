package org.parley.feature.blocking;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.config.Option;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.module.UserLocks;
import org.parley.route.Directory;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.route.Phase;
import org.parley.route.Router;
import org.parley.route.Stage;
import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.store.RosterItem;
import org.parley.store.RosterStore;
import org.parley.store.sql.Database;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** Blocking Command (XEP-0191): see the package documentation. */
public final class BlockingModule implements Module {
    /** Set on a session that requested the block list: only such resources get pushes (§3.3). */
    static final SessionKey<Boolean> INTERESTED = new SessionKey<>("blocking.interested");

    public static final Option<Integer> MAX_ITEMS = Option.integer("maxItems", 1000, 1, 1_000_000,
            "blocked JIDs per user; more are refused with policy-violation");
    public static final Option<Integer> CACHE_USERS = Option.integer("cacheUsers", 100_000, 0, 100_000_000,
            "block lists each node keeps in memory (0 = read the store every time)");

    private BlockingStore store;
    private RosterStore roster;
    private BlockLists lists;
    private Router router;
    private Directory directory;
    private UserLocks locks;
    private Jid server;
    private int maxItems;
    private final AtomicLong pushIds = new AtomicLong();
    private final List<BlockObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Told of every block request that succeeded, with the request's {@code <block/>} as sent, so
     * a feature can read what its items carry beyond the JID (XEP-0377 reports). Modules call this
     * before the server starts.
     */
    public interface BlockObserver {
        void blocked(Jid user, Element block);
    }

    /** Adds an observer of successful block requests (see {@link BlockObserver}). */
    public void observe(BlockObserver observer) {
        observers.add(observer);
    }

    @Override
    public String name() {
        return "blocking";
    }

    @Override
    public void openStorage(Database database) {
        database.migrate(name());
        store = new SqlBlockingStore(database);
    }

    @Override
    public List<Option<?>> options() {
        return List.of(MAX_ITEMS, CACHE_USERS);
    }

    @Override
    public void start(ModuleContext ctx) {
        roster = ctx.stores().roster();
        router = ctx.router();
        directory = ctx.directory();
        locks = ctx.userLocks();
        server = ctx.serverJid();
        maxItems = ctx.option(MAX_ITEMS);
        lists = new BlockLists(store, ctx.option(CACHE_USERS));
        lists.listen(ctx.invalidations());
        ctx.iqGet(IqScope.ACCOUNT, new QName(BlockingCommand.NAMESPACE, BlockingCommand.BLOCKLIST), this::blocklist);
        ctx.iqSet(IqScope.ACCOUNT, new QName(BlockingCommand.NAMESPACE, BlockingCommand.BLOCK), this::block);
        ctx.iqSet(IqScope.ACCOUNT, new QName(BlockingCommand.NAMESPACE, BlockingCommand.UNBLOCK), this::unblock);
        ctx.hook(Phase.OUTBOUND, Stage.FILTER, "blocking.outbound", this::outbound);
        ctx.hook(Phase.INBOUND, Stage.FILTER, "blocking.inbound", this::inbound);
        ctx.hook(Phase.DELIVER, Stage.FILTER, "blocking.pushes", BlockingModule::filterPush);
        ctx.features().serverFeature(BlockingCommand.NAMESPACE);
    }

    private Element blocklist(IqRequest request) {
        requireSelf(request);
        if (request.origin() != null) {
            request.origin().put(INTERESTED, Boolean.TRUE);
        }
        return new BlockingCommand(BlockingCommand.BLOCKLIST, store.blocked(request.from().local())).toElement();
    }

    private Element block(IqRequest request) {
        requireSelf(request);
        BlockingCommand command = BlockingCommand.from(request.payload());
        if (command.jids().isEmpty()) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "block at least one JID");
        }
        Jid user = request.from().bare();
        locks.withLock(user.local(), () -> {
            java.util.Set<String> after = new java.util.HashSet<>(store.blocked(user.local()));
            after.addAll(command.jids());
            if (after.size() > maxItems) {
                throw new StanzaErrorException(Condition.POLICY_VIOLATION,
                        "a block list holds at most " + maxItems + " JIDs");
            }
            // §3.3: the contact sees the user go offline, so this goes out before the block holds.
            presenceTo(user, command.jids(), true);
            if (!store.block(user.local(), command.jids(), maxItems)) {
                throw new StanzaErrorException(Condition.POLICY_VIOLATION,
                        "a block list holds at most " + maxItems + " JIDs");
            }
            lists.changed(user.local());
            push(user, command);
        });
        for (BlockObserver o : observers) {
            o.blocked(user, request.payload());
        }
        return null;
    }

    private Element unblock(IqRequest request) {
        requireSelf(request);
        BlockingCommand command = BlockingCommand.from(request.payload());
        Jid user = request.from().bare();
        locks.withLock(user.local(), () -> {
            List<String> unblocked;
            if (command.jids().isEmpty()) {
                unblocked = store.unblockAll(user.local());
            } else {
                store.unblock(user.local(), command.jids());
                unblocked = command.jids();
            }
            lists.changed(user.local());
            push(user, command);
            // §3.4: once the block is gone, the contact may see the user again.
            presenceTo(user, unblocked, false);
        });
        return null;
    }

    private static void requireSelf(IqRequest request) {
        if (request.from() == null || !request.isSelf()) {
            throw new StanzaErrorException(Condition.FORBIDDEN);
        }
    }

    private void push(Jid user, BlockingCommand command) {
        Element payload = command.toElement();
        for (Session s : directory.sessions(user)) {
            router.deliver(s, Stanza.iq(user, s.jid(), "set", "block" + pushIds.incrementAndGet(), payload));
        }
    }

    /** Pushes reach only resources that requested the block list. */
    private static Stanza filterPush(Stanza s, Session target) {
        if (s.isIq() && "set".equals(s.type()) && s.from() != null && s.from().isBare()
                && s.from().sameBare(target.jid()) && s.payload() != null
                && BlockingCommand.NAMESPACE.equals(s.payload().namespace())
                && !Boolean.TRUE.equals(target.get(INTERESTED))) {
            return null;
        }
        return s;
    }

    /**
     * Unavailable (when blocking) or current (when unblocking) presence of each available
     * resource to the roster contacts the JIDs cover, if they are subscribed to the user.
     */
    private void presenceTo(Jid user, List<String> jids, boolean unavailable) {
        if (jids.isEmpty()) {
            return;
        }
        for (RosterItem item : roster.items(user.local())) {
            if (!item.subscription().hasFrom()) {
                continue;
            }
            Jid contact = Jid.parseOrNull(item.jid());
            if (contact == null) {
                continue;
            }
            for (String entry : jids) {
                Jid to = target(entry, contact);
                if (to == null) {
                    continue;
                }
                for (Session own : directory.sessions(user)) {
                    Stanza p = own.presence();
                    if (p != null) {
                        router.route(unavailable
                                ? Stanza.presence(own.jid(), to, "unavailable")
                                : p.withFrom(own.jid()).withTo(to));
                    }
                }
            }
        }
    }

    /** Where a block list entry meets a roster contact: the contact, one of its resources, or nowhere. */
    private static Jid target(String entry, Jid contact) {
        Jid e = Jid.parseOrNull(entry);
        if (e == null) {
            return null;
        }
        if (e.resource() != null && e.local() != null) {
            return e.bare().equals(contact) ? e : null;
        }
        return BlockLists.matches(List.of(entry), contact) ? contact : null;
    }

    /** §3.3: what the user sends to a JID they blocked is refused. */
    private Stanza outbound(Stanza s, Session origin) {
        Jid to = s.to();
        if (origin == null || to == null || exempt(origin.jid(), to) || !lists.blocks(origin.jid().local(), to)) {
            return s;
        }
        if (!s.isError() && !(s.isIq() && "result".equals(s.type()))) {
            // Straight to the sender: routed, it would come from the blocked JID and be dropped.
            router.deliver(origin, blockedError(s));
        }
        return null;
    }

    /**
     * §3.3: what a blocked JID sends to the user: messages and IQ requests bounce with
     * service-unavailable, as if the user were offline; everything else vanishes. And what the
     * server would send in the name of a user to a JID the user blocked (presence broadcasts,
     * probe answers) does not leave.
     */
    private Stanza inbound(Stanza s, Session ignored) {
        Jid from = s.from();
        Jid to = s.to();
        // Errors answer something the user sent, which the block already stopped if it was to a
        // blocked JID; letting them through also keeps bounces flowing when a list cannot be read.
        if (from == null || to == null || from.sameBare(to) || s.isError()) {
            return s;
        }
        if (to.local() != null && !exempt(to, from) && lists.blocks(to.local(), from)) {
            boolean request = s.isMessage() || (s.isIq() && ("get".equals(s.type()) || "set".equals(s.type())));
            if (request) {
                router.bounce(s, StanzaError.of(Condition.SERVICE_UNAVAILABLE));
            }
            return null;
        }
        if (from.local() != null && from.domain().equals(server.domain()) && !exempt(from, to) && lists.blocks(from.local(), to)) {
            return null;
        }
        return s;
    }

    /** The user's own account and the server itself are never blocked. */
    private boolean exempt(Jid user, Jid other) {
        return other.sameBare(user) || (other.local() == null && other.domain().equals(server.domain()));
    }

    private static Stanza blockedError(Stanza s) {
        Stanza reply = s.errorReply(new StanzaError(Condition.NOT_ACCEPTABLE, StanzaError.Type.CANCEL, null), s.to());
        Element error = reply.element().element("error", Namespaces.CLIENT);
        Element withBlocked = reply.element().withoutChildren("error", Namespaces.CLIENT)
                .withChild(error.withChild(BlockingCommand.blockedCondition()));
        return reply.withElement(withBlocked);
    }
}
