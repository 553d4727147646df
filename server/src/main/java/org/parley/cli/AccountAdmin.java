package org.parley.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.IDN;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.parley.auth.CredentialFactory;
import org.parley.auth.ScramCredentials;
import org.parley.auth.Usernames;
import org.parley.config.Config;
import org.parley.feature.register.InviteStore;
import org.parley.feature.register.RegisterModule;
import org.parley.feature.reporting.Report;
import org.parley.feature.reporting.ReportingModule;
import org.parley.module.Module;
import org.parley.store.AccountStore;
import org.parley.store.Stores;
import org.parley.store.sql.Database;
import org.parley.store.sql.SqlStores;

/**
 * Account administration straight on the database, so an operator can create the first user
 * before the server ever runs. Only SCRAM keys are stored (RFC 5802 §3), never the password.
 */
final class AccountAdmin {

    private static final int POOL_SIZE = 2;

    private final Config config;
    private final List<Module> modules;
    private final PasswordPrompt prompt;
    private final PrintWriter out;
    private final CredentialFactory credentials;

    AccountAdmin(Config config, List<Module> modules, PasswordPrompt prompt, PrintWriter out) {
        this.config = config;
        this.modules = List.copyOf(modules);
        this.prompt = prompt;
        this.out = out;
        this.credentials = new CredentialFactory(config.auth().scramIterations(), new SecureRandom());
    }

    void add(String user, String password) {
        String name = username(user);
        try (Stores stores = open()) {
            AccountStore accounts = stores.accounts();
            // Checked before prompting so nobody types a password only to learn the name is taken.
            if (accounts.exists(name)) {
                throw new CliException(CliException.FAILED, "user " + jid(name) + " already exists");
            }
            if (!accounts.create(name, credentials(password, name))) {
                throw new CliException(CliException.FAILED, "user " + jid(name) + " already exists");
            }
        }
        out.println("created " + jid(name));
    }

    void remove(String user) {
        String name = username(user);
        try (Stores stores = open()) {
            if (!stores.accounts().delete(name)) {
                throw noSuchUser(name);
            }
        }
        out.println("removed " + jid(name));
    }

    void passwd(String user, String password) {
        String name = username(user);
        try (Stores stores = open()) {
            AccountStore accounts = stores.accounts();
            if (!accounts.exists(name) || !accounts.setCredentials(name, credentials(password, name))) {
                throw noSuchUser(name);
            }
        }
        out.println("password changed for " + jid(name));
    }

    void list() {
        List<String> names;
        try (Stores stores = open()) {
            names = stores.accounts().list();
        }
        names.forEach(name -> out.println(jid(name)));
    }

    /** Accepts {@code alice} or {@code alice@<configured domain>}; returns the PRECIS-prepared localpart. */
    String username(String user) {
        String local = user;
        int at = user.indexOf('@');
        if (at >= 0) {
            local = user.substring(0, at);
            String domain = normalisedDomain(user.substring(at + 1));
            if (!config.domain().equals(domain)) {
                throw new CliException(CliException.FAILED,
                        "user " + user + ": this server's domain is " + config.domain());
            }
        }
        try {
            return Usernames.prepare(local);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.FAILED, "invalid username \"" + user + "\": " + e.getMessage());
        }
    }

    private static String normalisedDomain(String domain) {
        try {
            return IDN.toASCII(domain).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return domain;
        }
    }

    private List<ScramCredentials> credentials(String given, String name) {
        String password = given != null ? given : prompt.read("Password for " + jid(name) + ": ");
        if (password.isEmpty()) {
            throw new CliException(CliException.FAILED, "password must not be empty");
        }
        return credentials.forPassword(password);
    }

    /**
     * Makes an invitation (XEP-0401 / XEP-0445; with {@code inviter}, XEP-0379 too) valid for
     * {@code validity} and prints its token and the URI to hand out.
     */
    void invite(String inviter, Duration validity) {
        String from = inviter == null ? null : username(inviter);
        RegisterModule register = modules.stream().filter(RegisterModule.class::isInstance)
                .map(RegisterModule.class::cast).findFirst()
                .orElseThrow(() -> new CliException(CliException.FAILED, "in-band registration is not among the modules"));
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try (Stores stores = open()) {
            if (from != null && !stores.accounts().exists(from)) {
                throw noSuchUser(from);
            }
            register.invites().add(new InviteStore.Invite(token, from, Instant.now().plus(validity)));
        }
        out.println("token " + token);
        out.println(from == null ? "xmpp:" + config.domain() + "?register;preauth=" + token
                : "xmpp:" + jid(from) + "?roster;preauth=" + token + ";ibr=y");
    }

    /** Prints the newest abuse reports (XEP-0377), one per line: when, who, whom, why, what they said. */
    void reports(int limit) {
        ReportingModule reporting = modules.stream().filter(ReportingModule.class::isInstance)
                .map(ReportingModule.class::cast).findFirst()
                .orElseThrow(() -> new CliException(CliException.FAILED, "spam reporting is not among the modules"));
        try (Stores ignored = open()) {
            List<Report> reports = reporting.reports().newest(limit);
            if (reports.isEmpty()) {
                out.println("no reports");
            }
            for (Report r : reports) {
                out.println(r.reportedAt() + " " + jid(r.reporter()) + " reported " + r.jid() + " for "
                        + (r.reason() == null ? "no reason given" : r.reason())
                        + (r.text() == null ? "" : ": " + r.text().replaceAll("\\s+", " "))
                        + (r.stanzaIds().isEmpty() ? "" : " [messages: " + String.join(", ", r.stanzaIds()) + "]"));
            }
        }
    }

    /**
     * The core's stores, with every module's storage opened on the same database, so that an
     * account removed here loses its data in every feature's store as it would on a running server.
     */
    private Stores open() {
        createSqliteDirectory(config.database().url());
        SqlStores stores = new SqlStores(Database.open(config.database().url(), POOL_SIZE,
                config.database().connectTimeout(), config.database().mmapBytes(), Clock.systemUTC()));
        try {
            for (Module m : modules) {
                m.openStorage(stores.database());
            }
        } catch (RuntimeException e) {
            stores.close();
            throw e;
        }
        return stores;
    }

    /** SQLite creates the file but not its directory; a first run has no data directory yet. */
    private static void createSqliteDirectory(String url) {
        String prefix = "jdbc:sqlite:";
        if (!url.startsWith(prefix) || url.contains(":memory:") || url.startsWith(prefix + "file:")) {
            return;
        }
        String file = url.substring(prefix.length());
        int query = file.indexOf('?');
        Path parent = Path.of(query >= 0 ? file.substring(0, query) : file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot create " + parent + ": " + e.getMessage());
        }
    }

    private CliException noSuchUser(String name) {
        return new CliException(CliException.FAILED, "no such user " + jid(name));
    }

    private String jid(String name) {
        return name + "@" + config.domain();
    }
}
