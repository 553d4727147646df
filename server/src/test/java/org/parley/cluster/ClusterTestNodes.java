package org.parley.cluster;

import static org.assertj.core.api.Assertions.fail;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Assumptions;
import org.parley.Server;
import org.parley.auth.ScramCredentials;
import org.parley.config.ConfigLoader;
import org.parley.module.Module;
import org.parley.testing.Clients;

/**
 * Cluster nodes for tests: real {@link Server}s in this JVM on free loopback ports, sharing a
 * PostgreSQL database created for the test class and a random Redis key prefix, both removed
 * on {@link #close()}. All nodes present the first node's certificate, as nodes behind one load
 * balancer would. Without PostgreSQL or Redis the test class is skipped, except under CI=true.
 */
final class ClusterTestNodes implements AutoCloseable {
    static final String DOMAIN = "localhost";
    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String PG_ADMIN = PG + "test?user=postgres&connectTimeout=3";
    static final String REDIS = "redis://127.0.0.1:6379";

    private final Path dir;
    private final String database = "parley_cluster_" + UUID.randomUUID().toString().replace("-", "")
            .substring(0, 12).toLowerCase(Locale.ROOT);
    private final String prefix = "parley-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final Map<String, Server> nodes = new HashMap<>();
    private final List<Server> order = new ArrayList<>();
    private boolean created;
    private RedisClient inspectorClient;
    private StatefulRedisConnection<String, String> inspector;

    private ClusterTestNodes(Path dir) {
        this.dir = dir;
    }

    /** Checks both services (skipping or failing as above) and creates the database. */
    static ClusterTestNodes create(Path dir) {
        requireRedis();
        ClusterTestNodes nodes = new ClusterTestNodes(dir);
        try (Connection admin = DriverManager.getConnection(PG_ADMIN); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + nodes.database);
            nodes.created = true;
        } catch (SQLException e) {
            unavailable("PostgreSQL not reachable at 127.0.0.1:5432 as user postgres (" + e.getMessage()
                    + "); start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", e);
        }
        return nodes;
    }

    private static void requireRedis() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 6379), 2000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, 7);
            if (!new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG")) {
                throw new java.io.IOException("no PONG");
            }
        } catch (java.io.IOException e) {
            unavailable("Redis not reachable at 127.0.0.1:6379 (" + e + "); start it with: redis-server --daemonize yes "
                    + "--bind 127.0.0.1 --port 6379 --save '' --appendonly no", e);
        }
    }

    private static void unavailable(String message, Exception e) {
        if ("true".equals(System.getenv("CI"))) {
            fail(message, e);
        }
        Assumptions.abort(message);
    }

    String prefix() {
        return prefix;
    }

    String databaseUrl() {
        return PG + database + "?user=postgres";
    }

    /** The PARLEY_* settings of a node; the first node's certificate once it exists. */
    Map<String, String> env(String nodeId) {
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_DATA_DIR", dir.resolve(nodeId).toString());
        env.put("PARLEY_C2S_BIND_ADDRESS", "127.0.0.1");
        env.put("PARLEY_C2S_PORT", "0");
        env.put("PARLEY_C2S_DIRECT_TLS_PORT", "-1");
        env.put("PARLEY_AUTH_SASL_FAILURE_DELAY", "50ms");
        env.put("PARLEY_STRANGERS_MAX_MESSAGES", "1000000000"); // test users are not each other's contacts
        env.put("PARLEY_DATABASE_URL", databaseUrl());
        env.put("PARLEY_DATABASE_POOL_SIZE", "4");
        env.put("PARLEY_CLUSTER_NODE_ID", nodeId);
        env.put("PARLEY_CLUSTER_REDIS_URL", REDIS);
        env.put("PARLEY_CLUSTER_KEY_PREFIX", prefix);
        env.put("PARLEY_CLUSTER_NODE_TTL", "3s");
        // Cluster tests need no HTTP, and nodes in child JVMs would collide on its default ports.
        env.put("PARLEY_HTTP_PORT", "-1");
        env.put("PARLEY_HTTP_TLS_PORT", "-1");
        // A cluster must share its uploads (S3); tests of something else run without the service.
        env.put("PARLEY_UPLOAD_STORAGE", "none");
        if (!order.isEmpty()) {
            env.put("PARLEY_TLS_CERTIFICATE", certificateFile().toString());
            env.put("PARLEY_TLS_KEY", certificateFile().resolveSibling(DOMAIN + ".key").toString());
        }
        return env;
    }

    Server start(String nodeId) {
        return start(nodeId, Map.of());
    }

    Server start(String nodeId, Map<String, String> overrides) {
        return start(nodeId, overrides, List.of());
    }

    /** A node with test modules beside the standard ones. */
    Server start(String nodeId, Map<String, String> overrides, List<Module> extra) {
        List<Module> modules = new ArrayList<>(Server.defaultModules());
        modules.addAll(extra);
        return startWith(nodeId, overrides, modules);
    }

    /** A node with exactly these modules, in this order (their session listeners run in it). */
    Server startWith(String nodeId, Map<String, String> overrides, List<Module> modules) {
        Map<String, String> env = env(nodeId);
        env.putAll(overrides);
        Server server = new Server(ConfigLoader.load(null, env, Server.sections(modules)), modules);
        server.start();
        nodes.put(nodeId, server);
        order.add(server);
        return server;
    }

    /** A node started in its own JVM, so a test can kill it. */
    record Child(Process process, int port) {
        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /**
     * Starts node {@code nodeId} as a child JVM running {@code mainClass} (on the test
     * classpath, configured by the PARLEY_* variables) and waits until it listens.
     */
    Child child(String nodeId, String mainClass, Map<String, String> overrides) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = env(nodeId);
        env.put("PARLEY_C2S_PORT", Integer.toString(port));
        env.putAll(overrides);
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), mainClass))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(nodeId + ".log").toFile());
        pb.environment().putAll(env);
        Process process = pb.start();
        try {
            awaitListening(port, process, nodeId);
        } catch (Exception | AssertionError e) {
            process.destroyForcibly();
            String log = Files.readString(dir.resolve(nodeId + ".log"));
            throw new AssertionError(e.getMessage() + "; its log ends:\n"
                    + log.substring(Math.max(0, log.length() - 4000)), e);
        }
        return new Child(process, port);
    }

    private static void awaitListening(int port, Process child, String nodeId) throws Exception {
        // Generous: a JVM starting on a loaded two-core machine (over a minute has been seen).
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("the child node exited with " + child.exitValue() + "; see " + nodeId + ".log");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the child node did not listen on " + port + " within 120s");
    }

    /** Clients of a child node, trusting the cluster's certificate. */
    Clients clients(Child child) {
        return new Clients(DOMAIN, child::port, trustManager());
    }

    /**
     * A Smack client of {@code user} (password {@code <user>-pw}) through {@code proxy} (a link or a
     * balancer before a node), adding the body of every message it receives to {@code bodies},
     * logged in with XEP-0198 resumption enabled.
     */
    XMPPTCPConnection loginVia(org.parley.testing.TcpProxy proxy, String user, String resource,
                               java.util.Collection<String> bodies) throws Exception {
        Clients via = new Clients(DOMAIN, proxy::port, trustManager());
        XMPPTCPConnection c = new XMPPTCPConnection(via.builder()
                .setUsernameAndPassword(user, user + "-pw").setResource(resource).build());
        c.setReplyTimeout(30_000); // a child JVM just started on a loaded machine
        c.addSyncStanzaListener(s -> bodies.add(((Message) s).getBody()), s -> s instanceof Message);
        c.connect().login();
        if (!c.isSmResumptionPossible()) {
            throw new AssertionError("no XEP-0198 resumption for " + user);
        }
        return c;
    }

    Server node(String nodeId) {
        return nodes.get(nodeId);
    }

    /** Creates each account with the password {@code <user>-pw}, as the cluster tests log in. */
    void createUsers(String... users) {
        for (String u : users) {
            createUser(u, u + "-pw");
        }
    }

    void createUser(String user, String password) {
        order.get(0).stores().accounts().create(user, ScramCredentials.deriveAll(password, 4096, new SecureRandom()));
    }

    Clients clients(Server node) {
        return new Clients(DOMAIN, node::c2sPort, trustManager());
    }

    /** A port nothing listens on, to make a node that cannot reach Redis. */
    static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    Path certificateFile() {
        return dir.resolve(order.get(0).config().cluster().nodeId()).resolve("certs").resolve(DOMAIN + ".crt");
    }

    X509TrustManager trustManager() {
        try (InputStream in = Files.newInputStream(certificateFile())) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("parley", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the cluster's certificate", e);
        }
    }

    /** A direct Redis connection to inspect or prepare keys under the test prefix. */
    static StatefulRedisConnection<String, String> redis(RedisClient client) {
        return client.connect();
    }

    /** Synchronous Redis commands for the test, on a connection opened once and closed with the nodes. */
    synchronized io.lettuce.core.api.sync.RedisCommands<String, String> redis() {
        if (inspector == null) {
            inspectorClient = RedisClient.create(REDIS);
            inspector = inspectorClient.connect();
        }
        return inspector.sync();
    }

    @Override
    public void close() throws SQLException {
        for (Server s : order) {
            s.close();
        }
        if (inspector != null) {
            inspector.close();
            inspectorClient.shutdown();
        }
        RedisClient client = RedisClient.create(REDIS);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = c.sync().scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
                if (!page.getKeys().isEmpty()) {
                    c.sync().del(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown();
        }
        if (created) {
            try (Connection admin = DriverManager.getConnection(PG_ADMIN); Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }
}
