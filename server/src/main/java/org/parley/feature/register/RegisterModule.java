package org.parley.feature.register;

import java.util.List;
import org.parley.auth.CredentialFactory;
import org.parley.auth.Usernames;
import org.parley.config.Option;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.Directory;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.session.Session;
import org.parley.store.AccountStore;
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
    private static final Logger log = LoggerFactory.getLogger(RegisterModule.class);

    /** Unset: on for {@code localhost}, which nobody else can reach by name, off for any other domain. */
    public static final Option<Boolean> ENABLED = Option.bool("enabled", null, "in-band registration")
            .documentedAs("on for `localhost` only");

    private AccountStore accounts;
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
        return List.of(ENABLED);
    }

    @Override
    public void start(ModuleContext context) {
        this.ctx = context;
        accounts = ctx.stores().accounts();
        directory = ctx.directory();
        credentials = ctx.credentials();
        Boolean enabled = ctx.option(ENABLED);
        boolean open = enabled != null ? enabled : ctx.serverJid().domain().equals("localhost");
        log.info("in-band registration (XEP-0077) {}", open ? "on" : "off");
        if (open) {
            ctx.features().preAuthStreamFeature(Element.empty("register", STREAM_FEATURE));
            ctx.features().serverFeature(NAMESPACE);
            ctx.iqGet(IqScope.PRE_AUTH, QUERY, r -> form());
            ctx.iqSet(IqScope.PRE_AUTH, QUERY, this::register);
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

    private Element register(IqRequest request) {
        Element q = request.payload();
        if (q.element("remove", NAMESPACE) != null) {
            throw new StanzaErrorException(Condition.NOT_AUTHORIZED, "log in to cancel a registration");
        }
        String username = prepared(q.childText("username", NAMESPACE));
        String password = password(q);
        if (!accounts.create(username, credentials.forPassword(password))) {
            throw new StanzaErrorException(Condition.CONFLICT, "that username is taken");
        }
        return null;
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
