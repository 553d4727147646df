package org.parley.feature.register;

import java.time.Duration;
import java.util.List;
import org.parley.auth.CredentialFactory;
import org.parley.auth.Usernames;
import org.parley.config.Option;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.Directory;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.session.ClientStream;
import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.store.AccountStore;
import org.parley.store.RosterItem;
import org.parley.store.RosterStore;
import org.parley.store.Subscription;
import org.parley.store.sql.Database;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.StreamError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** jabber:iq:register before and after authentication (XEP-0077). */
public final class RegisterModule implements Module {
    public static final String NAMESPACE = "jabber:iq:register";
    public static final String STREAM_FEATURE = "http://jabber.org/features/iq-register";
    private static final QName QUERY = new QName(NAMESPACE, "query");
    private static final QName PREAUTH = new QName(Preauth.NAMESPACE, Preauth.ELEMENT);
    private static final Logger log = LoggerFactory.getLogger(RegisterModule.class);
    static final String OPEN = "open";
    static final String INVITE = "invite";
    static final String OFF = "off";

    /** Unset: on for {@code localhost}, which nobody else can reach by name, off for any other domain. */
    public static final Option<Boolean> ENABLED = Option.bool("enabled", null, "in-band registration")
            .documentedAs("on for `localhost` only");
    public static final Option<String> MODE = Option.choice("mode", null, List.of(OPEN, INVITE, OFF),
            "who may register in-band: anyone (open), holders of an invitation (invite), nobody (off)")
            .documentedAs("`open` if `enabled`, else `off`");
    public static final Option<Integer> PER_ADDRESS = Option.integer("perAddress", 1, 1, 1_000_000,
            "accounts one address (IPv6: its /64) may register per `registration.addressWindow` without an invitation");
    public static final Option<Duration> ADDRESS_WINDOW = Option.duration("addressWindow", Duration.ofMinutes(10),
            Duration.ofSeconds(1), Duration.ofDays(30), "see `registration.perAddress`");
    public static final Option<Integer> PER_HOUR = Option.integer("perHour", 100, 1, 100_000_000,
            "accounts registered in-band per hour without an invitation, all addresses together");

    private static final SessionKey<InviteStore.Invite> PRESENTED = new SessionKey<>("register.invite");

    private AccountStore accounts;
    private RosterStore rosters;
    private InviteStore invites;
    private RegistrationLimits limits;
    private String mode;
    private CredentialFactory credentials;
    private Directory directory;
    private ModuleContext ctx;

    @Override
    public String name() {
        return "register";
    }

    @Override
    public String section() {
        return "registration";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(ENABLED, MODE, PER_ADDRESS, ADDRESS_WINDOW, PER_HOUR);
    }

    @Override
    public void openStorage(Database database) {
        database.migrate(name());
        invites = new SqlInviteStore(database);
    }

    /** The invitations, for {@code parley invite create}; null before {@link #openStorage}. */
    public InviteStore invites() {
        return invites;
    }

    @Override
    public void start(ModuleContext context) {
        this.ctx = context;
        accounts = ctx.stores().accounts();
        directory = ctx.directory();
        credentials = ctx.credentials();
        rosters = ctx.stores().roster();
        Boolean enabled = ctx.option(ENABLED);
        mode = ctx.option(MODE);
        if (mode == null) {
            mode = (enabled != null ? enabled : ctx.serverJid().domain().equals("localhost")) ? OPEN : OFF;
        }
        limits = new RegistrationLimits(ctx.option(PER_ADDRESS), ctx.option(ADDRESS_WINDOW), ctx.option(PER_HOUR),
                ctx.clock());
        log.info("in-band registration (XEP-0077): {}", mode);
        if (!mode.equals(OFF)) {
            ctx.features().preAuthStreamFeature(Element.empty("register", STREAM_FEATURE));
            ctx.features().preAuthStreamFeature(Element.empty("register", Preauth.FEATURE_NAMESPACE));
            ctx.features().serverFeature(NAMESPACE);
            ctx.iqGet(IqScope.PRE_AUTH, QUERY, r -> form());
            ctx.iqSet(IqScope.PRE_AUTH, QUERY, this::register);
            ctx.iqSet(IqScope.PRE_AUTH, PREAUTH, this::preauth);
        }
        // XEP-0077 §3.2/§3.3 examples send these without 'to' or addressed to the server (as Smack
        // does); both mean the sender's own account.
        for (IqScope scope : new IqScope[] {IqScope.ACCOUNT, IqScope.SERVER}) {
            ctx.iqGet(scope, QUERY, this::registered);
            ctx.iqSet(scope, QUERY, this::change);
        }
    }

    private static Element form() {
        return Element.builder("query", NAMESPACE)
                .textChild("instructions", NAMESPACE, "Choose a username and password.")
                .child(Element.empty("username", NAMESPACE))
                .child(Element.empty("password", NAMESPACE))
                .build();
    }

    /**
     * XEP-0445 §5: an invitation token, checked now (expiry only here) and used up by the
     * registration that follows on this stream.
     */
    private Element preauth(IqRequest request) {
        Preauth p = Preauth.from(request.payload());
        InviteStore.Invite invite = invites.valid(p.token(), ctx.clock().instant()).orElseThrow(() ->
                new StanzaErrorException(Condition.ITEM_NOT_FOUND, "the invitation is unknown, used or expired"));
        request.stream().put(PRESENTED, invite);
        return null;
    }

    /**
     * XEP-0077 §3.1 on a stream before authentication. Without an invitation: refused in invite
     * mode, and limited per address and per hour (resource-constraint, a client may try later).
     * With one: the invitation is used up, and its inviter and the new account become contacts
     * (XEP-0379's pre-approved mutual subscription).
     */
    private Element register(IqRequest request) {
        Element q = request.payload();
        if (q.element("remove", NAMESPACE) != null) {
            throw new StanzaErrorException(Condition.NOT_AUTHORIZED, "log in to cancel a registration");
        }
        String username = prepared(q.childText("username", NAMESPACE));
        String password = password(q);
        ClientStream stream = request.stream();
        InviteStore.Invite invite = stream.get(PRESENTED);
        String address = stream.address();
        if (invite == null && mode.equals(INVITE)) {
            throw new StanzaErrorException(Condition.NOT_ALLOWED, "registration here needs an invitation");
        }
        if (invite == null && !limits.take(address)) {
            log.info("registration from {} refused: too many accounts registered", address);
            throw new StanzaErrorException(Condition.RESOURCE_CONSTRAINT, "too many registrations; try again later");
        }
        if (invite != null && !invites.use(invite.token())) {
            stream.put(PRESENTED, null);
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "the invitation was used meanwhile");
        }
        if (!accounts.create(username, credentials.forPassword(password))) {
            if (invite != null) {
                invites.add(invite); // not used after all: the name was taken
            } else {
                limits.giveBack(address);
            }
            throw new StanzaErrorException(Condition.CONFLICT, "that username is taken");
        }
        if (invite != null) {
            stream.put(PRESENTED, null);
            befriend(invite.inviter(), username);
        }
        return null;
    }

    /** The inviter and the invitee see each other's presence from the start, as the invitation promised. */
    private void befriend(String inviter, String invitee) {
        if (inviter == null || !accounts.exists(inviter)) {
            return;
        }
        String domain = ctx.serverJid().domain();
        rosters.put(inviter, RosterItem.of(invitee + "@" + domain).withSubscription(Subscription.BOTH));
        rosters.put(invitee, RosterItem.of(inviter + "@" + domain).withSubscription(Subscription.BOTH));
    }

    private Element registered(IqRequest request) {
        return Element.builder("query", NAMESPACE)
                .child(Element.empty("registered", NAMESPACE))
                .textChild("username", NAMESPACE, ownAccount(request))
                .build();
    }

    private Element change(IqRequest request) {
        String user = ownAccount(request);
        Element q = request.payload();
        if (q.element("remove", NAMESPACE) != null) {
            accounts.delete(user);
            Jid bare = request.from().bare();
            // XEP-0077 §3.2: the result goes out first, then every session of the account ends.
            ctx.scheduler().schedule(() -> {
                for (Session s : directory.sessions(bare)) {
                    s.close(StreamError.of(StreamError.Condition.NOT_AUTHORIZED, "account removed"));
                }
            }, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
            return null;
        }
        String username = q.childText("username", NAMESPACE);
        if (username != null && !prepared(username).equals(user)) {
            throw new StanzaErrorException(Condition.NOT_ALLOWED, "a user changes only their own password");
        }
        accounts.setCredentials(user, credentials.forPassword(password(q)));
        return null;
    }

    /** The sender's own account, addressed directly or via the server; anything else is forbidden. */
    private static String ownAccount(IqRequest request) {
        Jid from = request.from();
        boolean viaServer = request.origin() != null && from != null && from.local() != null
                && request.target() != null && request.target().local() == null;
        if (!request.isSelf() && !viaServer) {
            throw new StanzaErrorException(Condition.FORBIDDEN);
        }
        return from.local();
    }

    private static String prepared(String username) {
        if (username == null || username.isEmpty()) {
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, "a username is required");
        }
        try {
            return Jid.enforceLocal(Usernames.prepare(username));
        } catch (IllegalArgumentException e) {
            throw new StanzaErrorException(Condition.JID_MALFORMED, "that username is not valid");
        }
    }

    private static String password(Element q) {
        String password = q.childText("password", NAMESPACE);
        if (password == null || password.isEmpty()) {
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, "a password is required");
        }
        return password;
    }
}
