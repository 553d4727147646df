package org.parley.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.parley.module.Module;
import org.parley.store.Stores;
import org.parley.store.sql.Database;

/**
 * One {@link TestServer} per test class, started before the first test with the given accounts
 * and closed after the last, so a protocol test declares what it needs instead of repeating the
 * start-up:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ServerExtension server = ServerExtension.withUsers("alice", "bob");
 * }</pre>
 *
 * Accounts made by name alone have the password {@code name + "-pw"}, the convention all the
 * protocol tests share.
 */
public final class ServerExtension implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> env;
    private final Map<String, String> users;
    private final List<Module> modules;
    private Path dir;
    private TestServer server;
    private Clients clients;

    private ServerExtension(Map<String, String> env, Map<String, String> users) {
        this(env, users, List.of());
    }

    private ServerExtension(Map<String, String> env, Map<String, String> users, List<Module> modules) {
        this.env = env;
        this.users = users;
        this.modules = modules;
    }

    /** Adds test modules beside the standard ones (e.g. a service at a subdomain). */
    public ServerExtension withModules(Module... extra) {
        return new ServerExtension(env, users, List.of(extra));
    }

    /** A server with test defaults and accounts {@code names}, each with password {@code name + "-pw"}. */
    public static ServerExtension withUsers(String... names) {
        return new ServerExtension(Map.of(), passwords(names));
    }

    /** A server with PARLEY_* {@code env} settings on top of the test defaults, as {@link TestServer#start(Path, Map)}. */
    public static ServerExtension withEnv(Map<String, String> env, String... names) {
        return new ServerExtension(Map.copyOf(env), passwords(names));
    }

    /** Adds an account whose password does not follow the naming convention. */
    public ServerExtension withUser(String name, String password) {
        Map<String, String> more = new LinkedHashMap<>(users);
        more.put(name, password);
        return new ServerExtension(env, more, modules);
    }

    private static Map<String, String> passwords(String... names) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, password(n));
        }
        return m;
    }

    /** The conventional password of an account made by name alone. */
    public static String password(String user) {
        return user + "-pw";
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("parley-test");
        server = TestServer.start(dir, env, TestServer.standardAnd(modules));
        users.forEach(server::createUser);
        clients = new Clients(server);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            server.close();
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The running server, for helpers that take one (e.g. {@code new ImClients(server.get())}). */
    public TestServer get() {
        return server;
    }

    public Clients clients() {
        return clients;
    }

    public Stores stores() {
        return server.server().stores();
    }

    /** The server's database, to read a feature's store (e.g. {@code new SqlOfflineStore(database())}). */
    public Database database() {
        return server.server().database();
    }

    public void createUser(String name, String password) {
        server.createUser(name, password);
    }

    /** Makes sure the account exists, with the conventional password, so several tests may share it. */
    public void account(String user) {
        if (!stores().accounts().exists(user)) {
            server.createUser(user, password(user));
        }
    }

    /** Connects and logs in as {@code user}, creating the account first if needed. */
    public XMPPTCPConnection login(String user) throws Exception {
        account(user);
        return clients.login(user, password(user));
    }

    /** A raw client logged in as {@code user} (created if needed) with {@code resource} bound. */
    public RawStreamClient bound(String user, String resource) throws Exception {
        account(user);
        return RawStreamClient.loggedIn(server, user, password(user), resource);
    }

    /** Logs in as {@code user} on {@code resource}, creating the account first if needed, collecting messages. */
    public MessageInbox inbox(String user, String resource) throws Exception {
        account(user);
        return MessageInbox.login(clients, user, password(user), resource);
    }
}
