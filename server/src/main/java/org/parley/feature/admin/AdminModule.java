package org.parley.feature.admin;

import static org.parley.feature.admin.AdminCommand.field;
import static org.parley.feature.admin.AdminCommand.result;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.parley.config.Option;
import org.parley.feature.adhoc.AdHocModule;
import org.parley.feature.adhoc.Command.Outcome;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.Directory;
import org.parley.session.Session;
import org.parley.session.SessionListener;
import org.parley.store.AccountStore;
import org.parley.store.sql.Database;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.StreamError;
import org.parley.xmpp.forms.DataForm;
import org.parley.xmpp.forms.Field;
import org.parley.xmpp.forms.Field.Type;

/** XEP-0133 service administration: see the package documentation. */
public final class AdminModule implements Module, SessionListener {
    public static final Option<String> JIDS = Option.text("jids", null,
                    "XEP-0133 administrators: comma-separated bare JIDs of this server's accounts")
            .check(AdminModule::validJids, "comma-separated bare JIDs such as admin@example.org");
    public static final Option<Integer> MAX_LIST = Option.integer("maxListedUsers", 1000, 1, 1_000_000,
            "users a XEP-0133 list (get-online-users-list) shows at most");

    private static final String CLIENT = Namespaces.CLIENT;

    private final AdHocModule adhoc;
    private DisabledAccounts disabled;
    private Set<Jid> admins = Set.of();
    private AccountStore accounts;
    private Directory directory;
    private ModuleContext ctx;
    private String domain;
    private int maxList;

    public AdminModule(AdHocModule adhoc) {
        this.adhoc = adhoc;
    }

    @Override
    public String name() {
        return "admin";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(JIDS, MAX_LIST);
    }

    private static boolean validJids(String text) {
        for (String s : text.split(",")) {
            Jid j = Jid.parseOrNull(s.trim());
            if (!s.isBlank() && (j == null || j.local() == null || j.resource() != null)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void openStorage(Database database) {
        database.migrate(name());
        disabled = new DisabledAccounts(database);
    }

    @Override
    public void start(ModuleContext context) {
        ctx = context;
        accounts = ctx.stores().accounts();
        directory = ctx.directory();
        domain = ctx.serverJid().domain();
        maxList = ctx.option(MAX_LIST);
        String jids = ctx.option(JIDS);
        Set<Jid> named = new LinkedHashSet<>();
        if (jids != null) {
            for (String s : jids.split(",")) {
                if (!s.isBlank()) {
                    named.add(Jid.of(s.trim()).bare());
                }
            }
        }
        admins = Set.copyOf(named);
        ctx.listener(this);
        Field accountjid = field(Type.JID_SINGLE, "accountjid", "The Jabber ID of the account");
        Field accountjids = field(Type.JID_MULTI, "accountjids", "The Jabber IDs of the accounts");
        Field password = field(Type.TEXT_PRIVATE, "password", "The password for this account");
        adhoc.register(AdminCommand.of("add-user", "Add a User", this::admin, List.of(accountjid, password,
                field(Type.TEXT_PRIVATE, "password-verify", "Retype password")), this::addUser));
        adhoc.register(AdminCommand.of("delete-user", "Delete a User", this::admin, List.of(accountjids),
                (who, form) -> each(form, this::delete, "deleted")));
        adhoc.register(AdminCommand.of("disable-user", "Disable a User", this::admin, List.of(accountjids),
                (who, form) -> each(form, this::disable, "disabled")));
        adhoc.register(AdminCommand.of("reenable-user", "Re-Enable a User", this::admin, List.of(accountjids),
                (who, form) -> each(form, disabled::enable, "re-enabled")));
        adhoc.register(AdminCommand.of("change-user-password", "Change User Password", this::admin,
                List.of(accountjid, password), this::changePassword));
        adhoc.register(AdminCommand.of("user-stats", "Get User Statistics", this::admin, List.of(accountjid),
                this::userStats));
        adhoc.register(AdminCommand.of("get-registered-users-num", "Get Number of Registered Users", this::admin,
                List.of(), (who, form) -> Outcome.result(result(Field.of("registeredusersnum",
                        Long.toString(accounts.count())).withLabel("The number of registered users")))));
        adhoc.register(AdminCommand.of("get-online-users-num", "Get Number of Online Users", this::admin,
                List.of(), (who, form) -> Outcome.result(result(Field.of("onlineusersnum",
                        Integer.toString(online().size())).withLabel("The number of online users")))));
        for (String node : List.of("get-online-users-list", "get-online-users")) {
            adhoc.register(AdminCommand.of(node, "Get List of Online Users", this::admin, List.of(),
                    (who, form) -> Outcome.result(result(Field.of(Type.JID_MULTI, "onlineuserjids",
                            online().stream().limit(maxList).toArray(String[]::new)).withLabel("The list of all online users")))));
        }
        adhoc.register(AdminCommand.of("announce", "Send Announcement to Online Users", this::admin,
                List.of(new Field("subject", Type.TEXT_SINGLE, "Subject", null, false, List.of(), List.of()),
                        field(Type.TEXT_MULTI, "announcement", "Announcement")), this::announce));
    }

    /** Admins are named by bare JID and must be this server's own accounts. */
    private boolean admin(Jid requester) {
        return requester.local() != null && domain.equals(requester.domain()) && admins.contains(requester.bare());
    }

    /** An account of this server named in a form; {@code not-acceptable} otherwise. */
    private String localAccount(String jid) {
        Jid j = jid == null ? null : Jid.parseOrNull(jid.trim());
        if (j == null || j.local() == null || j.resource() != null || !domain.equals(j.domain())) {
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, "not an account of this server: " + jid);
        }
        return j.local();
    }

    private static String required(DataForm form, String var) {
        String v = form.value(var);
        if (v == null || v.isEmpty()) {
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, var + " is required");
        }
        return v;
    }

    private Outcome addUser(Jid who, DataForm form) {
        String user = localAccount(required(form, "accountjid"));
        String password = required(form, "password");
        if (form.value("password-verify") != null && !password.equals(form.value("password-verify"))) {
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, "the passwords differ");
        }
        if (!accounts.create(user, ctx.credentials().forPassword(password))) {
            throw new StanzaErrorException(Condition.CONFLICT, "the account exists");
        }
        return Outcome.done("The account " + user + "@" + domain + " was added.");
    }

    private Outcome changePassword(Jid who, DataForm form) {
        String user = localAccount(required(form, "accountjid"));
        if (!accounts.setCredentials(user, ctx.credentials().forPassword(required(form, "password")))) {
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "no such account");
        }
        return Outcome.done("The password was changed.");
    }

    /** Runs {@code action} on every account of the jid-multi field, after checking them all. */
    private Outcome each(DataForm form, java.util.function.Consumer<String> action, String done) {
        Field f = form.field("accountjids");
        List<String> users = new ArrayList<>();
        for (String jid : f == null ? List.<String>of() : f.values()) {
            String user = localAccount(jid);
            if (!accounts.exists(user)) {
                throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "no such account: " + jid);
            }
            users.add(user);
        }
        if (users.isEmpty()) {
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, "accountjids is required");
        }
        users.forEach(action);
        return Outcome.done(users.size() + (users.size() == 1 ? " account " : " accounts ") + done + ".");
    }

    private void delete(String user) {
        accounts.delete(user);
        endSessions(user, "account removed");
    }

    private void disable(String user) {
        disabled.disable(user);
        endSessions(user, "account disabled");
    }

    private void endSessions(String user, String why) {
        for (Session s : directory.sessions(Jid.of(user, domain, null))) {
            s.close(StreamError.of(StreamError.Condition.NOT_AUTHORIZED, why));
        }
    }

    /** A disabled account that logs in anyway (it authenticated before the check) is closed once bound. */
    @Override
    public void bound(Session session) {
        if (disabled.disabled(session.jid().local())) {
            session.close(StreamError.of(StreamError.Condition.NOT_AUTHORIZED, "account disabled"));
        }
    }

    private Outcome userStats(Jid who, DataForm form) {
        String user = localAccount(required(form, "accountjid"));
        if (!accounts.exists(user)) {
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "no such account");
        }
        List<String> resources = directory.sessions(Jid.of(user, domain, null)).stream()
                .map(s -> s.jid().resource()).sorted().toList();
        return Outcome.result(result(
                Field.of(Type.JID_SINGLE, "accountjid", user + "@" + domain),
                Field.of("rostersize", Integer.toString(ctx.stores().roster().items(user).size())),
                Field.of(Type.TEXT_MULTI, "onlineresources", resources.toArray(String[]::new))));
    }

    /** The bare JIDs with a bound session on this node, sorted. */
    private List<String> online() {
        Set<String> bare = new TreeSet<>();
        for (Session s : directory.all()) {
            if (s.jid() != null && s.jid().local() != null) {
                bare.add(s.jid().bare().toString());
            }
        }
        return List.copyOf(bare);
    }

    private Outcome announce(Jid who, DataForm form) {
        Field body = form.field("announcement");
        if (body == null || body.values().isEmpty() || String.join("", body.values()).isBlank()) {
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, "announcement is required");
        }
        String text = String.join("\n", body.values());
        String subject = form.value("subject");
        int sent = 0;
        for (Session s : directory.all()) {
            if (s.jid() == null || s.jid().local() == null) {
                continue;
            }
            List<Element> payload = new ArrayList<>();
            if (subject != null && !subject.isBlank()) {
                payload.add(Element.builder("subject", CLIENT).text(subject).build());
            }
            payload.add(Element.builder("body", CLIENT).text(text).build());
            ctx.router().route(Stanza.message(ctx.serverJid(), s.jid(), "headline", payload.toArray(Element[]::new)));
            sent++;
        }
        return Outcome.done("The announcement went to " + sent + (sent == 1 ? " resource." : " resources."));
    }
}
