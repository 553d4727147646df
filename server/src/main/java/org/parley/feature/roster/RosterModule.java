package org.parley.feature.roster;

import java.util.List;
import java.util.Optional;
import org.parley.config.Option;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.module.UserLocks;
import org.parley.route.IqHandler;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.route.Phase;
import org.parley.route.Router;
import org.parley.route.Stage;
import org.parley.session.Session;
import org.parley.store.RosterChange;
import org.parley.store.RosterStore;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** The roster (RFC 6121 §2) and, through {@link Subscriptions}, presence subscriptions (§3). */
public final class RosterModule implements Module {
    private org.parley.route.Directory ctxDirectory;
    private static final String PRE_APPROVAL = "urn:xmpp:features:pre-approval";
    private static final QName QUERY = new QName(RosterQuery.NAMESPACE, RosterQuery.ELEMENT);
    private static final String ROSTER_VERSIONING = "urn:xmpp:features:rosterver";

    public static final Option<Integer> VERSION_REMOVALS = Option.integer("versionRemovals", 1000, 0, 1_000_000,
            "removed roster items remembered per user for XEP-0237 deltas");

    public static final Option<Integer> MAX_ITEMS = Option.integer("maxItems", 2000, 1, 1_000_000,
            "contacts one roster may hold; past it adding one is `not-allowed`");
    public static final Option<Integer> MAX_PENDING_OUT = Option.integer("maxPendingOut", 100, 1, 1_000_000,
            "subscription requests one account may have unanswered; past it another is `policy-violation`");
    public static final Option<Integer> MAX_PENDING_IN = Option.integer("maxPendingIn", 1000, 1, 1_000_000,
            "subscription requests to one account kept unanswered; past it new ones are dropped");

    private RosterStore store;
    private RosterPushes pushes;
    private Router router;
    private Subscriptions subscriptions;
    private UserLocks locks;

    @Override
    public String name() {
        return "roster";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(VERSION_REMOVALS, MAX_ITEMS, MAX_PENDING_OUT, MAX_PENDING_IN);
    }

    @Override
    public void start(ModuleContext ctx) {
        store = ctx.stores().roster();
        pushes = new RosterPushes(ctx.directory(), ctx.router());
        router = ctx.router();
        locks = ctx.userLocks();
        subscriptions = new Subscriptions(ctx.router(), ctx.directory(), store, pushes, locks,
                ctx.option(VERSION_REMOVALS), new Subscriptions.Limits(ctx.option(MAX_ITEMS),
                ctx.option(MAX_PENDING_OUT), ctx.option(MAX_PENDING_IN)));
        ctx.iqGet(IqScope.ACCOUNT, QUERY, this::get);
        ctx.iqSet(IqScope.ACCOUNT, QUERY, this::set);
        ctx.hook(Phase.OUTBOUND, Stage.HANDLE, "roster.subscriptions", subscriptions::outbound);
        ctx.hook(Phase.INBOUND, Stage.HANDLE, "roster.subscriptions", subscriptions::inbound);
        ctx.hook(Phase.DELIVER, Stage.FILTER, "roster.pushes", RosterPushes::filter);
        ctx.listener(subscriptions);
        ctxDirectory = ctx.directory();
        ctx.listener(new org.parley.session.SessionListener() {
            @Override
            public void adopted(Session session, org.parley.session.Adoption from) {
                if (from.previous().shared(RosterPushes.INTERESTED_SHARE) != null) {
                    session.put(RosterPushes.INTERESTED, Boolean.TRUE);
                    ctxDirectory.share(session, RosterPushes.INTERESTED_SHARE, "1");
                }
            }
        });
        // RFC 6121 §3.4: pre-approval is supported, and clients (Smack among them) only use it
        // when the stream feature says so.
        // RFC 6121 §2: the server serves rosters; clients and test tools look for it in its disco#info.
        ctx.features().serverFeature(RosterQuery.NAMESPACE);
        ctx.features().boundStreamFeature(Element.empty("sub", PRE_APPROVAL));
        // RFC 6121 §2.6 (XEP-0237): roster versioning.
        ctx.features().boundStreamFeature(Element.empty("ver", ROSTER_VERSIONING));
    }

    private Element get(IqRequest request) {
        requireSelf(request);
        Session origin = request.origin();
        if (origin != null) {
            if (origin.get(RosterPushes.INTERESTED) == null) {
                origin.put(RosterPushes.INTERESTED, Boolean.TRUE);
                ctxDirectory.share(origin, RosterPushes.INTERESTED_SHARE, "1"); // kept when it resumes on another node
            }
        }
        String owner = request.from().local();
        String ver = request.payload().attr("ver");
        if (ver == null) {
            return RosterQuery.of(store.items(owner));
        }
        // Under the user's lock, so no change's push slips between the answer and the changes sent.
        return locks.withLock(owner, () -> {
            Long since = parseVersion(ver);
            Optional<List<RosterChange>> changes = since == null || origin == null
                    ? Optional.empty() : store.changesSince(owner, since);
            if (changes.isEmpty()) {
                // §2.6.3: a version we cannot continue from gets the whole roster and the current version.
                long current = store.version(owner);
                return RosterQuery.of(store.items(owner), current);
            }
            // §2.6.3: an empty result, then each change since the client's version as a push.
            Stanza s = request.stanza();
            Stanza reply = s.resultReply(null);
            router.deliver(origin, s.to() == null ? reply.withFrom(null) : reply);
            for (RosterChange c : changes.get()) {
                pushes.sendTo(origin, c.isRemoval()
                        ? RosterQuery.removal(c.jid(), c.version())
                        : RosterQuery.of(List.of(c.item()), c.version()));
            }
            return IqHandler.ANSWERED;
        });
    }

    private static Long parseVersion(String ver) {
        try {
            long v = Long.parseLong(ver);
            return v < 0 ? null : v;
        } catch (NumberFormatException e) {
            return null; // the client's first request ("") or a version of another server
        }
    }

    private Element set(IqRequest request) {
        requireSelf(request);
        RosterQuery.Change change = RosterQuery.change(request.payload());
        String contact = change.jid().toString();
        if (change.remove()) {
            if (!subscriptions.remove(request.from().bare(), contact)) {
                throw new StanzaErrorException(Condition.ITEM_NOT_FOUND);
            }
            return null;
        }
        subscriptions.update(request.from().bare(), contact, change.name(), change.groups());
        return null;
    }

    /** RFC 6121 §2.1.5: a user manages only their own roster. */
    private static void requireSelf(IqRequest request) {
        Jid from = request.from();
        if (from == null || !request.isSelf()) {
            throw new StanzaErrorException(Condition.FORBIDDEN);
        }
    }
}
