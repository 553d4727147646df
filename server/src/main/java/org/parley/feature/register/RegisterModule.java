package org.parley.feature.register;

import java.security.SecureRandom;
import org.parley.auth.ScramCredentials;
import org.parley.auth.Usernames;
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

/** jabber:iq:register before and after authentication (XEP-0077). */
public final class RegisterModule implements Module {
    public static final String NAMESPACE = "jabber:iq:register";
    public static final String STREAM_FEATURE = "http://jabber.org/features/iq-register";
    private static final QName QUERY = new QName(NAMESPACE, "query");

    private final SecureRandom random = new SecureRandom();
    private AccountStore accounts;
    private Directory directory;
    private ModuleContext ctx;

    @Override
    public String name() {
        return "register";
    }

    @Override
    public void start(ModuleContext context) {
        this.ctx = context;
        accounts = ctx.stores().accounts();
        directory = ctx.directory();
        if (ctx.config().registrationEnabled()) {
            ctx.features().preAuthStreamFeature(Element.empty("register", STREAM_FEATURE));
            ctx.features().serverFeature(NAMESPACE);
            ctx.iqGet(IqScope.PRE_AUTH, QUERY, r -> form());
            ctx.iqSet(IqScope.PRE_AUTH, QUERY, this::register);
        }
        ctx.iqGet(IqScope.ACCOUNT, QUERY, this::registered);
        ctx.iqSet(IqScope.ACCOUNT, QUERY, this::change);
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
        if (!accounts.create(username, ScramCredentials.deriveAll(password, ctx.config().scramIterations(), random))) {
            throw new StanzaErrorException(Condition.CONFLICT, "that username is taken");
        }
        return null;
    }

    private Element registered(IqRequest request) {
        self(request);
        return Element.builder("query", NAMESPACE)
                .child(Element.empty("registered", NAMESPACE))
                .textChild("username", NAMESPACE, request.from().local())
                .build();
    }

    private Element change(IqRequest request) {
        self(request);
        Element q = request.payload();
        String user = request.from().local();
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
        accounts.setCredentials(user, ScramCredentials.deriveAll(password(q), ctx.config().scramIterations(), random));
        return null;
    }

    private static void self(IqRequest request) {
        if (!request.isSelf()) {
            throw new StanzaErrorException(Condition.FORBIDDEN);
        }
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
